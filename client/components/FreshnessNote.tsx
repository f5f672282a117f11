import type { ViewFreshness } from '../../server/web/api/contracts';
import { toDateTime, toRelativeTime } from './format-date';

/** One line saying where a view's data comes from and how old it is. */
export const toFreshnessText = (freshness: ViewFreshness, now: number = Date.now()): string => {
  const when = toRelativeTime(freshness.asOf, now);
  const base = freshness.source === 'live' ? `Read from Bitbucket ${when}` : `From Bosun's copy of the workspace, updated ${when}`;
  return freshness.complete ? base : `${base}; some build statuses are still being fetched`;
};

export const FreshnessNote = ({ freshness }: { freshness: ViewFreshness | undefined }) =>
  freshness ? (
    <span className="bosun-subtle" data-testid="freshness" data-source={freshness.source} title={toDateTime(freshness.asOf)}>
      {toFreshnessText(freshness)}
    </span>
  ) : null;
