import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';

export interface HostJwtInput {
  method: string;
  /** Absolute URL of the request the app will receive. */
  url: string;
  /** The app's descriptor baseUrl: its path is stripped before hashing (as atlassian-jwt does). */
  appBaseUrl: string;
  clientKey: string;
  sharedSecret: string;
  now: Date;
  ttlSeconds?: number;
}

/** qsh over method, path relative to the app baseUrl path, and the query minus `jwt`. */
export function toQsh(method: string, url: string, appBaseUrl: string): string {
  const u = new URL(url);
  return createQueryStringHash(fromMethodAndUrl(method.toUpperCase(), `${u.pathname}${u.search}`), false, appBaseUrl);
}

/** A JWT as Bitbucket signs it toward an app: iss = aud = clientKey, exp = iat + 3600. */
export function signHostJwt(input: HostJwtInput): string {
  const iat = Math.floor(input.now.getTime() / 1000);
  return encodeSymmetric(
    {
      iss: input.clientKey,
      aud: input.clientKey,
      iat,
      exp: iat + (input.ttlSeconds ?? 3600),
      qsh: toQsh(input.method, input.url, input.appBaseUrl),
    },
    input.sharedSecret,
  );
}

/** Joins descriptor baseUrl and a module/lifecycle/webhook path the way Connect does. */
export function joinAppUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
