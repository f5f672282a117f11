/**
 * The sandbox's starting world, as plain data. load-seed.ts turns it into state
 * (commit hashes are sha1 of a seed string, so they are stable across runs).
 */
export interface SeedUser {
  uuid: string;
  accountId: string;
  nickname: string;
  displayName: string;
  email: string;
}

export interface SeedStatus {
  key: string;
  name: string;
  state: 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
  url: string;
  description: string;
}

export interface SeedPullRequest {
  repo: string;
  id: number;
  title: string;
  description: string;
  state: 'OPEN' | 'MERGED' | 'DECLINED';
  draft?: boolean;
  author: string;
  sourceBranch: string;
  sourceCommits: string[];
  reviewers: string[];
  approvedBy?: string[];
  changesRequestedBy?: string[];
  closeSourceBranch?: boolean;
  mergedBy?: string;
  declinedBy?: string;
  reason?: string;
  tasks?: Array<{ user: string; text: string }>;
  createdOn: string;
  updatedOn: string;
  comments?: Array<{ user: string; text: string; on: string }>;
  statuses?: SeedStatus[];
}

export interface SeedRepository {
  uuid: string;
  slug: string;
  name: string;
  description: string;
  language: string;
  isPrivate: boolean;
  mainbranch: string;
  createdOn: string;
  history: string[];
}

export interface SeedData {
  workspace: { uuid: string; slug: string; name: string; createdOn: string; admins: string[]; readOnly: string[] };
  users: SeedUser[];
  repositories: SeedRepository[];
  pullRequests: SeedPullRequest[];
}

export const seedData: SeedData = {
  workspace: {
    uuid: '{3f2a8c1e-5b7d-4e9a-8c6f-1d2e3f4a5b6c}',
    slug: 'acme',
    name: 'Acme',
    createdOn: '2025-11-03T09:00:00.000000+00:00',
    admins: ['alice'],
    readOnly: ['erin'],
  },
  users: [
    { uuid: '{a11ce000-0000-4000-8000-000000000001}', accountId: '712020:a11ce000-0000-4000-8000-000000000001', nickname: 'alice', displayName: 'Alice Admin', email: 'alice@acme.test' },
    { uuid: '{b0b00000-0000-4000-8000-000000000002}', accountId: '712020:b0b00000-0000-4000-8000-000000000002', nickname: 'bob', displayName: 'Bob Builder', email: 'bob@acme.test' },
    { uuid: '{ca201000-0000-4000-8000-000000000003}', accountId: '712020:ca201000-0000-4000-8000-000000000003', nickname: 'carol', displayName: 'Carol Reviewer', email: 'carol@acme.test' },
    { uuid: '{da7e0000-0000-4000-8000-000000000004}', accountId: '712020:da7e0000-0000-4000-8000-000000000004', nickname: 'dave', displayName: 'Dave Developer', email: 'dave@acme.test' },
    { uuid: '{e2100000-0000-4000-8000-000000000005}', accountId: '712020:e2100000-0000-4000-8000-000000000005', nickname: 'erin', displayName: 'Erin Reader', email: 'erin@acme.test' },
  ],
  repositories: [
    {
      uuid: '{7eb00000-0000-4000-8000-00000000a001}', slug: 'web', name: 'web', description: 'Customer-facing web app', language: 'typescript',
      isPrivate: true, mainbranch: 'main', createdOn: '2025-11-03T10:00:00.000000+00:00',
      history: ['Initial commit', 'Add README', 'Set up CI pipeline'],
    },
    {
      uuid: '{a9100000-0000-4000-8000-00000000a002}', slug: 'api', name: 'api', description: 'Public REST API', language: 'go',
      isPrivate: true, mainbranch: 'main', createdOn: '2025-11-04T10:00:00.000000+00:00',
      history: ['Initial commit', 'Add health endpoint'],
    },
    {
      uuid: '{1f4a0000-0000-4000-8000-00000000a003}', slug: 'infra', name: 'infra', description: 'Terraform and deployment config', language: 'hcl',
      isPrivate: true, mainbranch: 'main', createdOn: '2025-11-05T10:00:00.000000+00:00',
      history: ['Initial commit'],
    },
  ],
  pullRequests: [
    {
      repo: 'web', id: 1, title: 'Add login form', description: 'Adds the login form with client-side validation.', state: 'OPEN',
      author: 'bob', sourceBranch: 'feature/login-form', sourceCommits: ['Add login form', 'Validate email field'],
      reviewers: ['alice', 'carol'], approvedBy: ['carol'], tasks: [{ user: 'alice', text: 'Add a test for the email validation' }],
      createdOn: '2026-01-12T09:15:00.000000+00:00', updatedOn: '2026-01-12T14:02:00.000000+00:00',
      comments: [{ user: 'carol', text: 'Looks good to me.', on: '2026-01-12T14:00:00.000000+00:00' }],
      statuses: [
        { key: 'build', name: 'Build #41', state: 'SUCCESSFUL', url: 'https://ci.acme.test/web/builds/41', description: 'Build passed' },
        { key: 'e2e', name: 'E2E tests #17', state: 'INPROGRESS', url: 'https://ci.acme.test/web/e2e/17', description: 'Running' },
      ],
    },
    {
      repo: 'web', id: 2, title: 'Fix header overflow on mobile', description: 'The header wrapped on narrow screens.', state: 'OPEN',
      author: 'carol', sourceBranch: 'bugfix/header-overflow', sourceCommits: ['Fix header overflow'],
      reviewers: ['alice', 'dave'], changesRequestedBy: ['alice'],
      createdOn: '2026-01-13T10:00:00.000000+00:00', updatedOn: '2026-01-13T16:30:00.000000+00:00',
      statuses: [{ key: 'build', name: 'Build #42', state: 'FAILED', url: 'https://ci.acme.test/web/builds/42', description: '2 tests failed' }],
    },
    {
      repo: 'web', id: 3, title: 'WIP: dark mode', description: 'Early draft of the dark theme.', state: 'OPEN', draft: true,
      author: 'dave', sourceBranch: 'feature/dark-mode', sourceCommits: ['Add dark palette'],
      reviewers: ['bob'],
      createdOn: '2026-01-14T08:00:00.000000+00:00', updatedOn: '2026-01-14T08:00:00.000000+00:00',
    },
    {
      repo: 'web', id: 4, title: 'Bump dependencies', description: 'Routine dependency update.', state: 'MERGED',
      author: 'alice', sourceBranch: 'chore/bump-deps', sourceCommits: ['Bump dependencies'],
      reviewers: ['bob'], approvedBy: ['bob'], closeSourceBranch: true, mergedBy: 'alice',
      createdOn: '2026-01-08T09:00:00.000000+00:00', updatedOn: '2026-01-09T11:00:00.000000+00:00',
    },
    {
      repo: 'web', id: 5, title: 'Experimental server-side rendering', description: 'Trying SSR for the landing page.', state: 'DECLINED',
      author: 'bob', sourceBranch: 'spike/ssr', sourceCommits: ['Try SSR'],
      reviewers: ['alice'], declinedBy: 'alice', reason: 'Not now: we will revisit after the redesign.',
      createdOn: '2026-01-06T09:00:00.000000+00:00', updatedOn: '2026-01-07T09:00:00.000000+00:00',
    },
    {
      repo: 'api', id: 1, title: 'Add rate limiting', description: 'Token-bucket rate limiting per API key.', state: 'OPEN',
      author: 'alice', sourceBranch: 'feature/rate-limit', sourceCommits: ['Add token bucket', 'Wire limiter into router'],
      reviewers: ['bob', 'carol'], approvedBy: ['bob', 'carol'],
      createdOn: '2026-01-12T11:00:00.000000+00:00', updatedOn: '2026-01-13T09:45:00.000000+00:00',
      statuses: [{ key: 'pipeline', name: 'Pipeline #9', state: 'STOPPED', url: 'https://ci.acme.test/api/pipelines/9', description: 'Stopped by bob' }],
    },
    {
      repo: 'api', id: 2, title: 'Paginate /users', description: 'Adds page and pagelen.', state: 'MERGED',
      author: 'carol', sourceBranch: 'feature/paginate-users', sourceCommits: ['Paginate users'],
      reviewers: ['alice'], approvedBy: ['alice'], mergedBy: 'carol',
      createdOn: '2026-01-05T09:00:00.000000+00:00', updatedOn: '2026-01-06T15:00:00.000000+00:00',
    },
    {
      repo: 'api', id: 3, title: 'Drop v1 endpoints', description: 'Removes the deprecated v1 API.', state: 'DECLINED',
      author: 'dave', sourceBranch: 'chore/drop-v1', sourceCommits: ['Remove v1'],
      reviewers: ['alice', 'carol'], declinedBy: 'carol', reason: 'Customers still use v1.',
      createdOn: '2026-01-07T09:00:00.000000+00:00', updatedOn: '2026-01-08T09:00:00.000000+00:00',
    },
    {
      repo: 'infra', id: 1, title: 'Add staging environment', description: 'Terraform module for staging.', state: 'OPEN',
      author: 'carol', sourceBranch: 'feature/staging', sourceCommits: ['Add staging module'],
      reviewers: ['alice'],
      createdOn: '2026-01-14T12:00:00.000000+00:00', updatedOn: '2026-01-14T12:30:00.000000+00:00',
      statuses: [{ key: 'plan', name: 'terraform plan', state: 'SUCCESSFUL', url: 'https://ci.acme.test/infra/plan/3', description: 'No changes outside staging' }],
    },
  ],
};
