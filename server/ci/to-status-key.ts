import { createHash } from 'node:crypto';
import type { CiProvider } from './ci-build-result';

/** Bitbucket refuses longer keys (REFERENCE.md §7). */
export const MAX_STATUS_KEY_LENGTH = 40;

const PREFIXES: Record<CiProvider, string> = {
  generic: 'ci',
  'github-actions': 'gha',
  gitlab: 'gitlab',
  jenkins: 'jenkins',
  circleci: 'circleci',
};

/**
 * The Bitbucket status key for a check: the same provider and check always give the same key,
 * different checks different keys, and never more than 40 characters. Readable when it fits
 * ("gha-workflow-ci-yml"); otherwise a readable start and 12 hex characters of a SHA-256 of the
 * whole identity, so two long names that share their first 27 characters still differ.
 * Jenkins' Bitbucket plugin keyed statuses by a truncated job name, and its collisions are what
 * this avoids.
 */
export function toStatusKey(provider: CiProvider, check: string): string {
  const identity = `${PREFIXES[provider]}-${check}`;
  const readable = identity
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/-$/, '');
  // Lossless only when the cleaned name is the identity itself; otherwise "a b" and "a-b" would collide.
  if (readable === identity && readable.length <= MAX_STATUS_KEY_LENGTH) return readable;
  const hash = createHash('sha256').update(`${provider}\u0000${check}`).digest('hex').slice(0, 12);
  const head = readable.slice(0, MAX_STATUS_KEY_LENGTH - hash.length - 1).replace(/-$/, '');
  return `${head}-${hash}`;
}
