import Lozenge from '@atlaskit/lozenge/lozenge';
import type { RepositoryFactsView } from '../../server/web/api/contracts';
import { toDateTime, toRelativeTime } from '../components/format-date';

export interface RepositoryFactsProps {
  facts: RepositoryFactsView | undefined;
}

const unavailable = <span className="bosun-subtle">Bosun may not read these (an admin can grant the scope in the app's settings).</span>;

/** What the mirror knows of the repository beside its PRs: target branch heads and their restrictions, default reviewers, pipelines. */
export const RepositoryFacts = ({ facts }: RepositoryFactsProps) => {
  if (!facts) return null;
  return (
    <section className="bosun-card" data-testid="repository-facts" aria-label="Branches and merge rules">
      <strong>Target branches</strong> <span className="bosun-subtle">({facts.branchCount} branches in all)</span>
      <ul>
        {facts.targetBranches.map((b) => (
          <li key={b.name} data-testid="target-branch" data-branch={b.name}>
            <span className="bosun-mono">{b.name}</span> at <span className="bosun-mono" data-testid="target-branch-head">{b.head ?? 'unknown'}</span>
            {b.restrictions === null ? null : b.restrictions.length === 0 ? (
              <span className="bosun-subtle"> · no restrictions</span>
            ) : (
              <span data-testid="target-branch-restrictions"> · {b.restrictions.join(', ')}</span>
            )}
          </li>
        ))}
      </ul>
      <div data-testid="default-reviewers">
        <strong>Default reviewers:</strong>{' '}
        {facts.defaultReviewers === null ? unavailable : facts.defaultReviewers.length === 0 ? <span className="bosun-subtle">none</span> : facts.defaultReviewers.join(', ')}
      </div>
      <div data-testid="recent-pipelines">
        <strong>Recent pipelines:</strong>{' '}
        {facts.recentPipelines === null
          ? unavailable
          : facts.recentPipelines.length === 0
            ? <span className="bosun-subtle">none</span>
            : facts.recentPipelines.slice(0, 5).map((p) => (
                <span key={p.buildNumber} className="bosun-inline" title={toDateTime(p.createdOn)}>
                  #{p.buildNumber} {p.refName ?? ''} <Lozenge appearance={p.result === 'SUCCESSFUL' ? 'success' : p.result === null ? 'inprogress' : 'removed'}>{(p.result ?? p.state).toLowerCase()}</Lozenge>
                </span>
              ))}
      </div>
      {facts.syncedAt ? <span className="bosun-subtlest">Listed {toRelativeTime(facts.syncedAt)}</span> : null}
    </section>
  );
};
