import { createHmac, timingSafeEqual } from 'node:crypto';
import { createQueryStringHash, fromMethodAndUrl } from 'atlassian-jwt';
import { z } from 'zod';
import { HostAuthError } from './errors';

/** Clock skew we tolerate between Bitbucket and us. */
const LEEWAY_SECONDS = 30;

const claimsSchema = z.object({
  iss: z.string().min(1),
  iat: z.number().optional(),
  exp: z.number(),
  qsh: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  sub: z.string().optional(),
});
export type ConnectClaims = z.infer<typeof claimsSchema>;

/** Reads `Authorization: JWT <token>` (Bitbucket's scheme) or `?jwt=`. */
export function extractConnectToken(authorization: string | undefined, queryJwt: unknown): string | null {
  if (authorization) {
    const match = /^JWT\s+(\S+)$/i.exec(authorization.trim());
    return match?.[1] ?? null;
  }
  return typeof queryJwt === 'string' && queryJwt.length > 0 ? queryJwt : null;
}

/** NUL (PostgreSQL's text refuses it) and unpaired surrogates (not encodable as UTF-8) cannot be stored faithfully. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && !/\p{Cs}/u.test(value);

/** What a stored clientKey can be: at most 255 characters, all of them storable. */
export const isPlausibleClientKey = (value: string): boolean => value.length <= 255 && isStorableText(value);

/**
 * A Connect JWT decoded once: its header checked (HS256 only), its claims parsed but not yet trusted.
 * The issuer picks the secret to verify with; verifyConnectJwt then checks the signature over the same
 * segments without decoding them again.
 */
export interface UnverifiedConnectToken {
  issuer: string;
  claims: unknown;
  signingInput: string;
  signature: string;
}

const decodeSegment = (segment: string): unknown => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;

/** Decodes a Connect JWT without verifying it; throws JWT_MALFORMED / JWT_ALGORITHM. */
export function decodeConnectToken(token: string): UnverifiedConnectToken {
  const segments = token.split('.');
  if (segments.length !== 3) throw new HostAuthError('JWT_MALFORMED', 'The JWT could not be decoded');
  const [headerSegment, payloadSegment, signature] = segments as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = decodeSegment(headerSegment);
    claims = decodeSegment(payloadSegment);
  } catch {
    throw new HostAuthError('JWT_MALFORMED', 'The JWT could not be decoded');
  }
  const alg = (header as { alg?: unknown } | null)?.alg;
  // Bitbucket signs with HS256 only; "none" and anything asymmetric are refused outright.
  if (alg !== 'HS256') throw new HostAuthError('JWT_ALGORITHM', `JWT algorithm "${String(alg)}" is not accepted, expected HS256`);
  const iss = (claims as { iss?: unknown } | null)?.iss;
  if (typeof iss !== 'string' || iss.length === 0) throw new HostAuthError('JWT_MALFORMED', 'The JWT has no issuer');
  // The issuer is looked up as a clientKey: one that could never have been stored is refused before SQL sees it.
  if (!isPlausibleClientKey(iss)) throw new HostAuthError('JWT_MALFORMED', 'The JWT issuer is not a valid clientKey');
  return { issuer: iss, claims, signingInput: `${headerSegment}.${payloadSegment}`, signature };
}

/** The unverified issuer: only used to find which secret to verify with. */
export function readUnverifiedIssuer(token: string): string {
  return decodeConnectToken(token).issuer;
}

/** HS256 over the token's first two segments, compared in constant time (as atlassian-jwt's decodeSymmetric does). */
function hasValidSignature(token: UnverifiedConnectToken, secret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secret).update(token.signingInput).digest('base64url'), 'ascii');
  const given = Buffer.from(token.signature, 'ascii');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface VerifyOptions {
  /** The token, or the token already decoded by decodeConnectToken (then it is not decoded again). */
  token: string | UnverifiedConnectToken;
  secret: string;
  /** Request method and URL (path + query) as received. */
  method: string;
  url: string;
  /** Our public base URL; its path is stripped before hashing, as Bitbucket does. */
  baseUrl: string;
  nowSeconds: number;
  /** The clientKey the token must be for (its iss, and aud when present). */
  clientKey: string;
  /** computeQsh(method, url, baseUrl) when the caller has it already (a cache of it). */
  expectedQsh?: string;
}

/** Verifies an inbound Connect JWT: signature, expiry, issuer, audience and query-string hash. */
export function verifyConnectJwt(opts: VerifyOptions): ConnectClaims {
  const token = typeof opts.token === 'string' ? decodeConnectToken(opts.token) : opts.token;
  if (!hasValidSignature(token, opts.secret)) throw new HostAuthError('JWT_SIGNATURE', 'The JWT signature does not match this installation');
  const parsed = claimsSchema.safeParse(token.claims);
  if (!parsed.success) throw new HostAuthError('JWT_MALFORMED', 'The JWT is missing required claims (iss, exp)');
  const claims = parsed.data;
  checkConnectClaims(claims, { ...opts, expectedQsh: opts.expectedQsh ?? computeQsh(opts.method, opts.url, opts.baseUrl) });
  return claims;
}

/**
 * The checks of verified claims that do not depend on the secret: issuer, audience, the clock and
 * this request's qsh. verifyConnectJwt runs them after the signature; a token verified before (same
 * string, same installation and secret) needs only these for its next request.
 */
export function checkConnectClaims(claims: ConnectClaims, opts: { clientKey: string; nowSeconds: number; expectedQsh: string }): void {
  if (claims.iss !== opts.clientKey) {
    throw new HostAuthError('JWT_TENANT_MISMATCH', 'The JWT was issued for another installation');
  }
  if (claims.aud !== undefined) {
    const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!auds.includes(opts.clientKey)) throw new HostAuthError('JWT_AUDIENCE', 'The JWT audience is not this installation');
  }
  if (opts.nowSeconds > claims.exp + LEEWAY_SECONDS) throw new HostAuthError('JWT_EXPIRED', 'The JWT has expired');
  if (claims.iat !== undefined && claims.iat > opts.nowSeconds + LEEWAY_SECONDS) {
    throw new HostAuthError('JWT_EXPIRED', 'The JWT was issued in the future');
  }
  if (!claims.qsh) throw new HostAuthError('JWT_QSH', 'The JWT has no query string hash (qsh)');
  if (claims.qsh !== opts.expectedQsh) {
    throw new HostAuthError('JWT_QSH', 'The JWT query string hash does not match this request');
  }
}

export function computeQsh(method: string, url: string, baseUrl: string): string {
  return createQueryStringHash(fromMethodAndUrl(method.toUpperCase(), url), false, baseUrl);
}
