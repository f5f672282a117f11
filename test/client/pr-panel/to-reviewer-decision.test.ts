import { describe, expect, it } from 'vitest';
import { toReviewerDecision, toSortedReviewers } from '../../../client/pr-panel/to-reviewer-decision';
import { createReviewer, createUser } from '../client-fixtures';

describe('toReviewerDecision', () => {
  it('reads approved, changes requested and no decision', () => {
    expect(toReviewerDecision(createReviewer({ approved: true, state: 'approved' })).label).toBe('Approved');
    expect(toReviewerDecision(createReviewer({ state: 'changes_requested' })).label).toBe('Changes requested');
    expect(toReviewerDecision(createReviewer()).label).toBe('No decision');
  });

  it('trusts the approved flag when state is null', () => {
    expect(toReviewerDecision(createReviewer({ approved: true, state: null })).kind).toBe('approved');
  });
});

describe('toSortedReviewers', () => {
  it('lists reviewers before participants, then changes requested, approved, undecided, then by name', () => {
    const reviewers = [
      createReviewer({ user: createUser({ uuid: 'p', displayName: 'Pat' }), role: 'PARTICIPANT', approved: true }),
      createReviewer({ user: createUser({ uuid: 'z', displayName: 'Zoe' }) }),
      createReviewer({ user: createUser({ uuid: 'b', displayName: 'Bo' }), approved: true, state: 'approved' }),
      createReviewer({ user: createUser({ uuid: 'c', displayName: 'Cy' }), state: 'changes_requested' }),
      createReviewer({ user: createUser({ uuid: 'a', displayName: 'Al' }) }),
    ];
    expect(toSortedReviewers(reviewers).map((reviewer) => reviewer.user.uuid)).toEqual(['c', 'b', 'a', 'z', 'p']);
    expect(reviewers[0]?.user.uuid).toBe('p');
  });
});
