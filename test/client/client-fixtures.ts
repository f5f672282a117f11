import type {
  DashboardPullRequestView,
  ReviewerView,
  UserView,
} from '../../server/web/api/contracts';

export const createUser = (overrides: Partial<UserView> = {}): UserView => ({
  uuid: '{11111111-1111-4111-8111-111111111111}',
  accountId: '557058:aaaa',
  displayName: 'Ada Lovelace',
  nickname: 'ada',
  avatarUrl: null,
  ...overrides,
});

export const createReviewer = (overrides: Partial<ReviewerView> = {}): ReviewerView => ({
  user: createUser(),
  role: 'REVIEWER',
  approved: false,
  state: null,
  ...overrides,
});

export const createDashboardPullRequest = (
  overrides: Partial<DashboardPullRequestView> = {},
): DashboardPullRequestView => ({
  id: 1,
  title: 'Add retry to webhook delivery',
  state: 'OPEN',
  draft: false,
  author: createUser(),
  sourceBranch: 'feature/retry',
  destinationBranch: 'main',
  sourceCommit: 'abc123def456',
  createdOn: '2026-03-01T10:00:00.000Z',
  updatedOn: '2026-03-02T10:00:00.000Z',
  url: 'https://bitbucket.org/acme/web/pull-requests/1',
  buildState: 'SUCCESSFUL',
  approvals: 1,
  reviewerCount: 2,
  ...overrides,
});
