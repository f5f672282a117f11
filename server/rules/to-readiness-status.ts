import type { Readiness } from './evaluate-readiness';

export const READINESS_STATUS_KEY = 'bosun/ready';

/**
 * The `bosun/ready` commit status for a verdict: ready → SUCCESSFUL, waiting → INPROGRESS,
 * blocked → FAILED, naming the blockers (Bitbucket keeps descriptions short: ≤ 255 characters).
 */
export function toReadinessStatus(readiness: Readiness): { key: string; state: 'SUCCESSFUL' | 'INPROGRESS' | 'FAILED'; name: string; description: string } {
  const state = readiness.verdict === 'ready' ? 'SUCCESSFUL' : readiness.verdict === 'waiting' ? 'INPROGRESS' : 'FAILED';
  const description = readiness.ready ? 'Ready to merge.' : readiness.blockers.map((b) => b.message).join(' ');
  return { key: READINESS_STATUS_KEY, state, name: 'Bosun: ready to merge', description: description.length > 255 ? `${description.slice(0, 254)}…` : description };
}
