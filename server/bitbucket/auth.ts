/**
 * The two ways Bosun authenticates to REST 2.0: as the Connect installation (app JWT)
 * or as a person (OAuth 2.0 bearer token from auth/).
 */
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';

export type BitbucketAuth =
  | { kind: 'connect-jwt'; appKey: string; clientKey: string; sharedSecret: string }
  | { kind: 'bearer'; getAccessToken: () => Promise<string> };

/** Lifetime of an outbound JWT. Short, because one is minted per request. */
export const CONNECT_JWT_TTL_SECONDS = 180;

export interface ConnectJwtClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  qsh: string;
}

/**
 * Builds the claims of an outbound Connect JWT for one request.
 * `pathAndQuery` is relative to baseApiUrl's own path (normally `/2.0/…?…`): the qsh covers
 * method, path and query but never the body.
 * https://developer.atlassian.com/cloud/bitbucket/query-string-hash/
 */
export function createConnectJwtClaims(
  auth: { appKey: string; clientKey: string },
  method: string,
  pathAndQuery: string,
  nowMs: number,
): ConnectJwtClaims {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: auth.appKey,
    sub: auth.clientKey,
    iat,
    exp: iat + CONNECT_JWT_TTL_SECONDS,
    qsh: createQueryStringHash(fromMethodAndUrl(method.toUpperCase(), pathAndQuery)),
  };
}

/**
 * Returns the `Authorization` header value for one attempt of one request.
 * A fresh JWT per attempt keeps `iat` current across retries; a bearer token is asked for
 * every time so auth/ can refresh it behind our back.
 */
export async function getAuthorizationHeader(
  auth: BitbucketAuth,
  method: string,
  pathAndQuery: string,
  nowMs: number,
): Promise<string> {
  if (auth.kind === 'connect-jwt') {
    // Bitbucket wants the scheme literally "JWT", not "Bearer".
    return `JWT ${encodeSymmetric(createConnectJwtClaims(auth, method, pathAndQuery, nowMs), auth.sharedSecret)}`;
  }
  return `Bearer ${await auth.getAccessToken()}`;
}
