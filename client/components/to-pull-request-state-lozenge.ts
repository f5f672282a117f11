import type { PullRequestSummaryView } from '../../server/web/api/contracts';

export interface PullRequestStateLozenge {
  appearance: 'inprogress' | 'success' | 'removed' | 'moved';
  label: string;
}

const LOZENGES: Record<PullRequestSummaryView['state'], PullRequestStateLozenge> = {
  OPEN: { appearance: 'inprogress', label: 'Open' },
  MERGED: { appearance: 'success', label: 'Merged' },
  DECLINED: { appearance: 'removed', label: 'Declined' },
  SUPERSEDED: { appearance: 'moved', label: 'Superseded' },
};

/** A pull request state as Bitbucket shows it: Open (blue), Merged (green), Declined (red), Superseded. */
export const toPullRequestStateLozenge = (state: PullRequestSummaryView['state']): PullRequestStateLozenge =>
  LOZENGES[state] ?? { appearance: 'moved', label: state };
