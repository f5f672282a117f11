import { aggregateBuildState, type BuildStatusState } from '../rules';

/** A commit status as the queue reads it (Bitbucket's `key`, `state`, `name`). */
export interface QueueCiStatus {
  key: string;
  state: string;
  name?: string | null | undefined;
  description?: string | null | undefined;
}

export type QueueCiVerdict = { kind: 'pending' } | { kind: 'passed' } | { kind: 'failed'; reason: string };

const STATES = new Set<string>(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']);

/**
 * Whether CI has settled on a batch's tested commit: every status reported and none still running.
 * No status at all is pending, never green (REFERENCE.md §7): a queue branch that no CI picked up
 * waits (the poller gives up after its limit). Keys in `ignore` (Bosun's own) do not count.
 */
export function toQueueCiVerdict(statuses: readonly QueueCiStatus[], ignore: readonly string[] = []): QueueCiVerdict {
  const counted = statuses.filter((s) => !ignore.includes(s.key) && STATES.has(s.state));
  const state = aggregateBuildState(counted.map((s) => s.state as BuildStatusState));
  if (state === 'NONE' || state === 'INPROGRESS') return { kind: 'pending' };
  if (state === 'SUCCESSFUL') return { kind: 'passed' };
  const bad = counted.filter((s) => s.state === 'FAILED' || s.state === 'STOPPED');
  const names = bad.map((s) => `${s.name || s.key}${s.description ? ` (${s.description})` : ''}`).slice(0, 3);
  return { kind: 'failed', reason: `${names.join(', ')} ${bad.length === 1 ? 'is' : 'are'} ${state === 'FAILED' ? 'failing' : 'stopped'} on the tested commit.` };
}
