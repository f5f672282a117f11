import { createHash, timingSafeEqual } from 'node:crypto';

export type CodeChallengeMethod = 'S256' | 'plain';

/** RFC 7636 §4.6. Bitbucket does not document PKCE; the sandbox verifies it whenever a challenge was sent. */
export function isVerifierValid(verifier: string, challenge: string, method: CodeChallengeMethod): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function toS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
