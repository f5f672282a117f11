/**
 * Is this delivery from the CI that holds the integration's secret? One of, in this order:
 * - an HMAC-SHA256 of the raw body, hex: `X-Bosun-Signature: sha256=…` (Bosun's own header, any
 *   CI), `X-Hub-Signature-256: sha256=…` (GitHub), `Circleci-Signature: v1=…` (CircleCI);
 * - the secret itself where a CI cannot sign: `Authorization: Bearer …`, or `X-Gitlab-Token`
 *   (GitLab sends the webhook's secret token verbatim).
 * Comparisons are constant-time. Pure: no I/O, nothing logged.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * https://circleci.com/docs/webhooks/#payload-signature
 * https://docs.gitlab.com/user/project/integrations/webhooks/#validate-requests-with-a-secret-token
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getHeader } from './parse-payload';

export type CiSignatureCheck = { ok: true; method: 'hmac' | 'token' } | { ok: false; reason: string };

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `sha256=<hex>` or CircleCI's comma-separated `v1=<hex>,…` → the hex digests offered. */
function toOfferedDigests(header: string, prefix: 'sha256=' | 'v1='): string[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(prefix))
    .map((part) => part.slice(prefix.length).toLowerCase());
}

/** The hex HMAC-SHA256 a CI should send for `body` (the snippets Bosun hands out compute the same). */
export function signCiBody(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function verifyCiSignature(
  headers: Readonly<Record<string, string | undefined>>,
  rawBody: Buffer,
  secret: string,
): CiSignatureCheck {
  const expected = signCiBody(secret, rawBody);
  const signed: Array<[string | undefined, 'sha256=' | 'v1=']> = [
    [getHeader(headers, 'x-bosun-signature'), 'sha256='],
    [getHeader(headers, 'x-hub-signature-256'), 'sha256='],
    [getHeader(headers, 'circleci-signature'), 'v1='],
  ];
  let offered = false;
  for (const [header, prefix] of signed) {
    if (header === undefined) continue;
    offered = true;
    if (toOfferedDigests(header, prefix).some((digest) => safeEqual(digest, expected))) return { ok: true, method: 'hmac' };
  }
  const authorization = getHeader(headers, 'authorization');
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
  for (const token of [bearer, getHeader(headers, 'x-gitlab-token')]) {
    if (token === undefined) continue;
    offered = true;
    if (safeEqual(token, secret)) return { ok: true, method: 'token' };
  }
  return offered
    ? { ok: false, reason: 'The signature or token does not match this integration’s secret' }
    : { ok: false, reason: 'No signature: send X-Bosun-Signature: sha256=<HMAC-SHA256 of the body>, or Authorization: Bearer <secret>' };
}
