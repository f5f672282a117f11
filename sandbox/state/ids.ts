import { createHash } from 'node:crypto';

/** 40-hex sha1 of a seed string: deterministic commit hashes. */
export function toCommitHash(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/** Deterministic brace-wrapped uuid derived from a seed string (Bitbucket's uuid format). */
export function toBracedUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  const variant = ((parseInt(h[16] ?? '8', 16) & 0x3) | 0x8).toString(16);
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}

export function toShortHash(hash: string): string {
  return hash.slice(0, 12);
}
