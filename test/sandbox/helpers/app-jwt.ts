import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';

/** An outbound app JWT as Bosun sends it to /2.0: iss = app key, sub = clientKey, qsh over method+path+query. */
export function signAppJwt(input: { method: string; pathAndQuery: string; key: string; clientKey: string; secret: string; iat?: number; ttl?: number; qsh?: string }): string {
  const iat = input.iat ?? Math.floor(Date.now() / 1000);
  return encodeSymmetric(
    {
      iss: input.key,
      sub: input.clientKey,
      iat,
      exp: iat + (input.ttl ?? 180),
      qsh: input.qsh ?? createQueryStringHash(fromMethodAndUrl(input.method, input.pathAndQuery)),
    },
    input.secret,
  );
}
