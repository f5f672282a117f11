import type { AgentJobView, AgentPlanView, AuditEntryView, AuditStepView } from '../../server/web/api/contracts';

export const createPlanView = (overrides: Partial<AgentPlanView['preview']> = {}): AgentPlanView => ({
  plan: {
    summary: 'Add @ada as a reviewer of #7',
    source: 'natural-language',
    steps: [{ tool: 'pullRequest.addReviewers', input: { workspace: 'acme', repo: 'web', pullRequestId: 7, reviewers: ['ada'] } }],
  },
  preview: {
    valid: true,
    problems: [],
    needsConfirmation: false,
    confirmationReasons: [],
    steps: [
      {
        index: 0,
        tool: 'pullRequest.addReviewers',
        input: { workspace: 'acme', repo: 'web', pullRequestId: 7, reviewers: ['ada'] },
        valid: true,
        problems: [],
        risk: 'write',
        actsAs: 'user',
        repository: 'acme/web',
        description: 'Add ada as a reviewer of #7',
      },
    ],
    ...overrides,
  },
});

export const createAuditStep = (overrides: Partial<AuditStepView> = {}): AuditStepView => ({
  tool: 'pullRequest.addReviewers',
  outcome: 'succeeded',
  summary: 'Added ada',
  message: null,
  links: [{ label: '#7', url: 'https://bitbucket.org/acme/web/pull-requests/7' }],
  durationMs: 412,
  ...overrides,
});

export const createAuditEntry = (overrides: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id: 1,
  startedAt: '2026-03-02T10:00:00.000Z',
  durationMs: 512,
  actor: { kind: 'user', userUuid: '{11111111-1111-4111-8111-111111111111}', accountId: '557058:aaaa' },
  trigger: { kind: 'panel', ref: '#7' },
  source: 'natural-language',
  summary: 'Add @ada as a reviewer of #7',
  repositories: ['acme/web'],
  tools: ['pullRequest.addReviewers'],
  outcome: 'succeeded',
  message: 'Done: 1 step succeeded.',
  steps: [createAuditStep()],
  ...overrides,
});

export const createJob = (overrides: Partial<AgentJobView> = {}): AgentJobView => ({
  jobId: 'job-1',
  state: 'running',
  done: false,
  connect: null,
  audit: null,
  error: null,
  ...overrides,
});
