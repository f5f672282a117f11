import Lozenge from '@atlaskit/lozenge/lozenge';
import type { ReactNode } from 'react';
import type { BuildStatusView, PullRequestPanelView, ReviewerView } from '../../server/web/api/contracts';
import { BuildStatusLozenge } from '../components/BuildStatusLozenge';
import { FreshnessNote } from '../components/FreshnessNote';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { Section } from '../components/Section';
import { toPullRequestStateLozenge } from '../components/to-pull-request-state-lozenge';
import { UserAvatar } from '../components/UserAvatar';
import { toReviewerDecision, toSortedReviewers } from './to-reviewer-decision';

export interface PullRequestPanelProps {
  view: PullRequestPanelView;
  /** Actions as the viewer (approve); omitted in read-only renders. */
  actions?: ReactNode;
  /** "Ask Bosun", below the reviewers; omitted in read-only renders. */
  ask?: ReactNode;
  /** The readiness checklist, below the header; omitted in read-only renders. */
  checklist?: ReactNode;
  /** The PR's place in its branch's merge queue, below the checklist; omitted in read-only renders. */
  queue?: ReactNode;
  /** The Builds list with Re-run and Stop for Pipelines runs; the read-only list when omitted. */
  builds?: ReactNode;
}

const BuildStatusItem = ({ status }: { status: BuildStatusView }) => (
  <li className="bosun-list__item" data-testid="build-status" data-state={status.state}>
    <div className="bosun-list__main">
      <span className="bosun-fixed">
        <BuildStatusLozenge state={status.state} />
      </span>
      <div className="bosun-list__text">
        <a
          className="bosun-link"
          data-testid="build-status-link"
          href={status.url}
          target="_blank"
          rel="noopener noreferrer"
        >
          {status.name || status.key}
        </a>
        {status.description ? <span className="bosun-subtle">{status.description}</span> : null}
      </div>
    </div>
    <span className="bosun-subtlest bosun-fixed" title={toDateTime(status.updatedOn)}>
      {toRelativeTime(status.updatedOn)}
    </span>
  </li>
);

const ReviewerItem = ({ reviewer }: { reviewer: ReviewerView }) => {
  const decision = toReviewerDecision(reviewer);
  const avatarStatus =
    decision.kind === 'approved' ? 'approved' : decision.kind === 'changes_requested' ? 'declined' : undefined;
  return (
    <li
      className="bosun-list__item"
      data-testid="reviewer"
      data-approved={String(decision.kind === 'approved')}
      data-decision={decision.kind}
    >
      <div className="bosun-list__main bosun-list__main--center">
        <UserAvatar user={reviewer.user} status={avatarStatus} />
        {reviewer.role === 'PARTICIPANT' ? <span className="bosun-subtlest">participant</span> : null}
      </div>
      <span className="bosun-fixed">
        {decision.kind === 'approved' ? (
          <Lozenge appearance="success">{decision.label}</Lozenge>
        ) : decision.kind === 'changes_requested' ? (
          <Lozenge appearance="moved">{decision.label}</Lozenge>
        ) : (
          <span className="bosun-subtlest">{decision.label}</span>
        )}
      </span>
    </li>
  );
};

/** The PR panel: title and state, the aggregate build state with each status, reviewers, then "Ask Bosun". */
export const PullRequestPanel = ({ view, actions, ask, checklist, builds, queue }: PullRequestPanelProps) => {
  const { pullRequest, statuses, buildState, approvals } = view;
  const prState = toPullRequestStateLozenge(pullRequest.state);
  const reviewers = toSortedReviewers(view.reviewers);
  const reviewerCount = view.reviewers.filter((reviewer) => reviewer.role === 'REVIEWER').length;
  const passed = statuses.filter((status) => status.state === 'SUCCESSFUL').length;
  return (
    <main className="bosun-page bosun-page--compact" data-testid="pr-panel">
      <header className="bosun-list__text">
        <div className="bosun-inline">
          <Lozenge appearance={prState.appearance}>{prState.label}</Lozenge>
          {pullRequest.draft ? <Lozenge appearance="default">Draft</Lozenge> : null}
          <strong>
            #{pullRequest.id} {pullRequest.title}
          </strong>
        </div>
        <span className="bosun-subtle">
          <span className="bosun-mono">{pullRequest.sourceBranch}</span> →{' '}
          <span className="bosun-mono">{pullRequest.destinationBranch}</span>
          {pullRequest.sourceCommit ? (
            <>
              {' · '}
              <span className="bosun-mono">{pullRequest.sourceCommit.slice(0, 12)}</span>
            </>
          ) : null}
        </span>
        <FreshnessNote freshness={view.freshness} />
      </header>
      {checklist}
      {queue}

      <Section
        title="Builds"
        aside={
          <span data-testid="aggregate-state" data-state={buildState}>
            <BuildStatusLozenge state={buildState} />
          </span>
        }
      >
        {builds ?? (statuses.length === 0 ? (
          <span className="bosun-subtle">No build has reported on the latest commit yet.</span>
        ) : (
          <>
            <span className="bosun-subtle">
              {passed} of {statuses.length} passed
            </span>
            <ul className="bosun-list">
              {statuses.map((status) => (
                <BuildStatusItem key={status.key} status={status} />
              ))}
            </ul>
          </>
        ))}
      </Section>

      <Section
        title="Reviewers"
        aside={
          <span className="bosun-subtle" data-testid="approvals-count">
            {approvals} of {reviewerCount} approved
          </span>
        }
      >
        {reviewers.length === 0 ? (
          <span className="bosun-subtle">No reviewers yet.</span>
        ) : (
          <ul className="bosun-list">
            {reviewers.map((reviewer) => (
              <ReviewerItem key={reviewer.user.uuid} reviewer={reviewer} />
            ))}
          </ul>
        )}
        {actions}
      </Section>
      {ask}
    </main>
  );
};
