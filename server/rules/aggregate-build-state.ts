export type BuildStatusState = 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
export type AggregateBuildState = BuildStatusState | 'NONE';

/**
 * One state for a commit's statuses, worst first: any FAILED fails, then STOPPED, then INPROGRESS;
 * SUCCESSFUL only when every status is. No status at all is NONE, which means pending, never green
 * (REFERENCE.md §7).
 */
export function aggregateBuildState(states: readonly BuildStatusState[]): AggregateBuildState {
  if (states.length === 0) return 'NONE';
  if (states.includes('FAILED')) return 'FAILED';
  if (states.includes('STOPPED')) return 'STOPPED';
  if (states.includes('INPROGRESS')) return 'INPROGRESS';
  return 'SUCCESSFUL';
}
