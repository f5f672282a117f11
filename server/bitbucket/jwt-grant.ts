/**
 * The installation's other way in: trade an app JWT for an OAuth access token with the
 * `urn:bitbucket:oauth2:jwt` grant, and use it as a bearer token until shortly before it
 * expires (REFERENCE.md §4; https://developer.atlassian.com/cloud/bitbucket/oauth-2/).
 */
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { z } from 'zod';
import { CONNECT_JWT_TTL_SECONDS } from './auth';
import { UnauthorizedError } from './errors';

const tokenResponseSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });

/** Renew this long before the token expires, so it never lapses mid-request. */
const RENEW_MARGIN_MS = 60_000;

export interface JwtGrantOptions {
  /** The host's site URL (https://bitbucket.org or the sandbox): the token endpoint lives there. */
  siteUrl: string;
  appKey: string;
  clientKey: string;
  sharedSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** A cached, single-flight access-token source for `{ kind: 'bearer', getAccessToken }`. */
export function createJwtGrantTokenSource(options: JwtGrantOptions): () => Promise<string> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const tokenUrl = new URL('/site/oauth2/access_token', options.siteUrl);
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;

  const fetchToken = async (): Promise<string> => {
    const iat = Math.floor(now() / 1000);
    const jwt = encodeSymmetric(
      {
        iss: options.appKey,
        sub: options.clientKey,
        iat,
        exp: iat + CONNECT_JWT_TTL_SECONDS,
        qsh: createQueryStringHash(fromMethodAndUrl('POST', tokenUrl.pathname)),
      },
      options.sharedSecret,
    );
    const res = await doFetch(tokenUrl.toString(), {
      method: 'POST',
      headers: { authorization: `JWT ${jwt}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:bitbucket:oauth2:jwt' }).toString(),
    });
    const body: unknown = await res.json().catch(() => null);
    const parsed = tokenResponseSchema.safeParse(body);
    if (!res.ok || !parsed.success) {
      throw new UnauthorizedError(`Bitbucket refused the JWT grant (${res.status})`, { method: 'POST', path: tokenUrl.pathname });
    }
    cached = { token: parsed.data.access_token, expiresAt: now() + (parsed.data.expires_in ?? 3600) * 1000 };
    return cached.token;
  };

  return async () => {
    if (cached && cached.expiresAt - now() > RENEW_MARGIN_MS) return cached.token;
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  };
}
