import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ForgeTokenError } from './errors';

/** Forge signs every FIT with this issuer (https://developer.atlassian.com/platform/forge/forge-remote-invocation-contract). */
export const FIT_ISSUER = 'forge/invocation-token';
/** Atlassian's published keys for production FITs; the sandbox serves its own. */
export const FORGE_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';

const text = (max: number) => z.string().min(1).max(max);

/** The claims Bosun reads; everything else in the token is ignored. */
const fitClaims = z.object({
  app: z.looseObject({
    id: text(128),
    installationId: text(255),
    apiBaseUrl: z.url({ protocol: /^https?$/ }).max(512),
    environment: z.looseObject({ id: text(255).optional(), type: text(64).optional() }).optional(),
    module: z.looseObject({ key: text(255).optional(), type: text(128).optional() }).optional(),
  }),
  context: z
    .looseObject({
      workspaceId: text(64).optional(),
      moduleKey: text(255).optional(),
    })
    .optional(),
  principal: text(128).optional(),
});

/** What a verified FIT says: the installation, where to call Bitbucket, and who (if anyone) is acting. */
export interface ForgeInvocation {
  appId: string;
  installationId: string;
  /** Bitbucket's API for this installation, without `/2.0`. */
  apiBaseUrl: string;
  environmentId: string | null;
  moduleKey: string | null;
  workspaceUuid: string | null;
  /** The Atlassian account id of the person the invocation is for; null for events and lifecycle calls. */
  accountId: string | null;
}

export interface FitVerifierOptions {
  /** The app's id (`app.id` in manifest.yml): the FIT's audience. */
  appId: string;
  /** Where the signing keys are published (Forge's in production, the sandbox's locally). */
  jwksUrl: string;
  fetch?: typeof fetch;
  now: () => Date;
  /** How long fetched keys are reused (jose refetches early for an unknown key id, at most once per cooldown). */
  cacheMaxAgeMs?: number;
  /** Tests give keys directly. */
  keys?: JWTVerifyGetKey;
}

export type FitVerifier = (token: string) => Promise<ForgeInvocation>;

function toTokenError(err: unknown): ForgeTokenError {
  if (err instanceof ForgeTokenError) return err;
  if (err instanceof joseErrors.JWTExpired) return new ForgeTokenError('FIT_EXPIRED', 'The Forge Invocation Token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new ForgeTokenError('FIT_AUDIENCE', 'The Forge Invocation Token is for another app');
    if (err.claim === 'iss') return new ForgeTokenError('FIT_ISSUER', 'The token was not issued by Forge');
    return new ForgeTokenError('FIT_CLAIMS', `The Forge Invocation Token's ${err.claim} claim is not valid`);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new ForgeTokenError('FIT_ALGORITHM', 'Forge Invocation Tokens are RS256');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) {
    return new ForgeTokenError('FIT_SIGNATURE', 'The Forge Invocation Token is not signed by Forge');
  }
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JOSEError) {
    return new ForgeTokenError('FIT_MALFORMED', 'The Forge Invocation Token could not be verified');
  }
  return new ForgeTokenError('FIT_MALFORMED', 'The Forge Invocation Token could not be verified');
}

/**
 * Verifies a FIT with jose: RS256 only, against the configured JWKS (fetched once and cached),
 * issuer `forge/invocation-token`, audience the app id, expiry with no leeway beyond jose's
 * default of none. Any failure is a ForgeTokenError (401).
 */
export function createFitVerifier(options: FitVerifierOptions): FitVerifier {
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl), {
      cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
      ...(options.fetch ? { [customFetch]: options.fetch } : {}),
    });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: FIT_ISSUER,
        audience: options.appId,
        requiredClaims: ['exp', 'iss', 'aud'],
        currentDate: options.now(),
      });
      const claims = fitClaims.safeParse(payload);
      if (!claims.success) throw new ForgeTokenError('FIT_CLAIMS', 'The Forge Invocation Token lacks the app claims Bosun needs');
      const { app, context, principal } = claims.data;
      if (app.id !== options.appId) throw new ForgeTokenError('FIT_AUDIENCE', 'The Forge Invocation Token names another app');
      return {
        appId: app.id,
        installationId: app.installationId,
        apiBaseUrl: app.apiBaseUrl.replace(/\/+$/, ''),
        environmentId: app.environment?.id ?? null,
        moduleKey: app.module?.key ?? context?.moduleKey ?? null,
        workspaceUuid: context?.workspaceId ?? null,
        accountId: principal ?? null,
      };
    } catch (err) {
      throw toTokenError(err);
    }
  };
}

/** The bearer token of an Authorization header, or null. */
export function readBearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
