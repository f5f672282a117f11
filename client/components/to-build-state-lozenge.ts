import type { AggregateBuildState } from '../../server/web/api/contracts';

/** The Lozenge appearances we use; a subset of Atlaskit's ThemeAppearance. */
export type BuildLozengeAppearance = 'success' | 'removed' | 'inprogress' | 'moved' | 'default';

export interface BuildStateLozenge {
  appearance: BuildLozengeAppearance;
  label: string;
}

const LOZENGES: Record<AggregateBuildState, BuildStateLozenge> = {
  SUCCESSFUL: { appearance: 'success', label: 'Passed' },
  FAILED: { appearance: 'removed', label: 'Failed' },
  INPROGRESS: { appearance: 'inprogress', label: 'In progress' },
  STOPPED: { appearance: 'moved', label: 'Stopped' },
  NONE: { appearance: 'default', label: 'No builds' },
};

/** Maps a build state (single or aggregate) to its Lozenge appearance and label. */
export const toBuildStateLozenge = (state: AggregateBuildState): BuildStateLozenge =>
  LOZENGES[state] ?? LOZENGES.NONE;
