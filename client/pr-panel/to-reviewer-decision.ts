import type { ReviewerView } from '../../server/web/api/contracts';

export interface ReviewerDecision {
  kind: 'approved' | 'changes_requested' | 'none';
  label: string;
}

/** What a reviewer decided: Approved, Changes requested, or no decision yet. */
export const toReviewerDecision = (reviewer: ReviewerView): ReviewerDecision => {
  if (reviewer.state === 'changes_requested') return { kind: 'changes_requested', label: 'Changes requested' };
  if (reviewer.approved || reviewer.state === 'approved') return { kind: 'approved', label: 'Approved' };
  return { kind: 'none', label: 'No decision' };
};

const DECISION_ORDER: Record<ReviewerDecision['kind'], number> = { changes_requested: 0, approved: 1, none: 2 };

/** Reviewers first (participants after), then by decision, then by name; does not mutate. */
export const toSortedReviewers = (reviewers: readonly ReviewerView[]): ReviewerView[] =>
  [...reviewers].sort(
    (a, b) =>
      Number(a.role !== 'REVIEWER') - Number(b.role !== 'REVIEWER') ||
      DECISION_ORDER[toReviewerDecision(a).kind] - DECISION_ORDER[toReviewerDecision(b).kind] ||
      a.user.displayName.localeCompare(b.user.displayName),
  );
