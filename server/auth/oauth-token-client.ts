import { z } from 'zod';
import { OAuthGrantError } from './errors';

export interface OAuthConsumer {
  clientId: string;
  clientSecret: string;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  // Bitbucket answered `scopes` before May 2026 and `scope` since (REFERENCE.md §8).
  scope: z.string().optional(),
  scopes: z.string().optional(),
});

const errorResponseSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
  scopes: string[];
}

export interface OAuthTokenClient {
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
}

/**
 * Bitbucket's token endpoint: form-encoded only, client authenticated with HTTP Basic
 * (https://developer.atlassian.com/cloud/bitbucket/oauth-2/).
 *
 * The endpoint is fixed when the client is made, from configuration (BITBUCKET_SITE_URL): the
 * consumer secret goes there and nowhere else, whatever an installation says its host is.
 */
export function createOAuthTokenClient(deps: { consumer: OAuthConsumer; tokenUrl: string; fetch: typeof fetch; now: () => Date; timeoutMs?: number }): OAuthTokenClient {
  const basic = Buffer.from(`${deps.consumer.clientId}:${deps.consumer.clientSecret}`).toString('base64');
  const post = async (form: Record<string, string>): Promise<TokenSet> => {
    const res = await deps.fetch(deps.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const parsed = errorResponseSchema.safeParse(body);
      const error = parsed.success ? parsed.data.error : `http_${res.status}`;
      const description = parsed.success ? (parsed.data.error_description ?? '') : '';
      throw new OAuthGrantError(error, `Bitbucket refused the token request (${error}${description ? `: ${description}` : ''})`);
    }
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) throw new OAuthGrantError('invalid_response', 'Bitbucket answered the token request with an unexpected body');
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? null,
      expiresAt: new Date(deps.now().getTime() + (t.expires_in ?? 7200) * 1000),
      scopes: (t.scope ?? t.scopes ?? '').split(/[\s,]+/).filter(Boolean),
    };
  };
  return {
    exchangeCode: (input) =>
      post({ grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier }),
    refresh: (refreshToken) => post({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
}
