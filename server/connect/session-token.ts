import { decodeSymmetric, encodeSymmetric, getAlgorithm, SymmetricAlgorithm } from 'atlassian-jwt';
import { z } from 'zod';
import { HostAuthError, pageNames, type Viewer } from '../host';

export const SESSION_TTL_SECONDS = 15 * 60;

const sessionSchema = z.object({
  typ: z.literal('bosun-session'),
  sub: z.string().min(1),
  ins: z.string().min(1),
  uid: z.string().nullable(),
  aid: z.string().nullable(),
  page: z.enum(pageNames),
  iat: z.number(),
  exp: z.number(),
});

/**
 * A short-lived token for the iframe's own API calls, minted after the iframe JWT was verified.
 * Signed with Bosun's own key (not the tenant secret), bound to tenant + user + page.
 */
export function mintSessionToken(viewer: Omit<Viewer, 'host'>, key: Buffer, nowSeconds: number): string {
  return encodeSymmetric(
    {
      typ: 'bosun-session',
      sub: viewer.clientKey,
      ins: viewer.installId,
      uid: viewer.userUuid,
      aid: viewer.accountId,
      page: viewer.page,
      iat: nowSeconds,
      exp: nowSeconds + SESSION_TTL_SECONDS,
    },
    key.toString('base64'),
    SymmetricAlgorithm.HS256,
  );
}

export function verifySessionToken(token: string, key: Buffer, nowSeconds: number): Viewer {
  let raw: unknown;
  try {
    if (getAlgorithm(token) !== 'HS256') throw new Error('alg');
    raw = decodeSymmetric(token, key.toString('base64'), SymmetricAlgorithm.HS256, false);
  } catch {
    throw new HostAuthError('SESSION_INVALID', 'The session token is not valid; reload the page');
  }
  const parsed = sessionSchema.safeParse(raw);
  if (!parsed.success) throw new HostAuthError('SESSION_INVALID', 'The session token is not valid; reload the page');
  if (nowSeconds >= parsed.data.exp) throw new HostAuthError('SESSION_EXPIRED', 'Your session expired; reload the page');
  return { clientKey: parsed.data.sub, installId: parsed.data.ins, userUuid: parsed.data.uid, accountId: parsed.data.aid, page: parsed.data.page, host: 'connect' };
}
