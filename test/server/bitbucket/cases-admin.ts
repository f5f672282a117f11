import { LIST, sampleAccount, sampleCommit, type OperationCase } from './operation-cases';

const REPO = '/2.0/repositories/acme/web';
const restriction = {
  type: 'branchrestriction',
  id: 12,
  kind: 'require_approvals_to_merge',
  branch_match_kind: 'glob',
  pattern: 'main',
  value: 2,
  users: [],
  groups: [],
  links: { self: { href: 'https://api.bitbucket.org/2.0/repositories/acme/web/branch-restrictions/12' } },
};
const hook = {
  type: 'webhook_subscription',
  uuid: '{h-1}',
  url: 'https://bosun.example.com/hooks',
  description: 'Bosun',
  subject_type: 'repository',
  subject: { type: 'repository', full_name: 'acme/web' },
  active: true,
  events: ['pullrequest:fulfilled', 'repo:push'],
  secret_set: true,
  created_at: '2026-01-01T00:00:00Z',
};
const hookInput = {
  description: 'Bosun',
  url: 'https://bosun.example.com/hooks',
  active: true,
  events: ['pullrequest:fulfilled', 'repo:push'],
  secret: 's3cret',
};
const pipeline = {
  type: 'pipeline',
  uuid: '{p-1}',
  build_number: 25,
  state: { type: 'pipeline_state_in_progress', name: 'IN_PROGRESS', stage: { type: 'pipeline_state_in_progress_running', name: 'RUNNING' } },
  target: {
    type: 'pipeline_ref_target',
    ref_type: 'branch',
    ref_name: 'main',
    commit: { type: 'commit', hash: sampleCommit.hash },
    selector: { type: 'custom', pattern: 'deploy' },
  },
  trigger: { type: 'pipeline_trigger_manual', name: 'MANUAL' },
  creator: sampleAccount,
  created_on: '2026-01-01T00:00:00Z',
  completed_on: null,
};
const step = {
  type: 'pipeline_step',
  uuid: '{s-1}',
  name: 'Build',
  state: { type: 'pipeline_step_state_completed', name: 'COMPLETED', result: { type: 'pipeline_step_state_completed_failed', name: 'FAILED' } },
  started_on: '2026-01-01T00:00:01Z',
  completed_on: '2026-01-01T00:01:00Z',
  duration_in_seconds: 59,
};
const PIPE = `${REPO}/pipelines/%7Bp-1%7D`;

export const adminCases: OperationCase[] = [
  {
    op: 'statuses.listForCommit',
    run: (c) => c.statuses.listForCommit('acme', 'web', 'abc', { refname: 'main' }),
    request: { method: 'GET', path: `${REPO}/commit/abc/statuses`, query: [...LIST, ['refname', 'main']] },
    response: { status: 200, json: { values: [{ type: 'build', key: 'ci', state: 'INPROGRESS' }] } },
    expected: [{ key: 'ci' }],
  },
  {
    op: 'statuses.createBuild',
    run: (c) => c.statuses.createBuild('acme', 'web', 'abc', { key: 'ci', state: 'FAILED', url: 'https://ci/1' }),
    request: { method: 'POST', path: `${REPO}/commit/abc/statuses/build`, body: { key: 'ci', state: 'FAILED', url: 'https://ci/1' } },
    response: { status: 201, json: { type: 'build', key: 'ci', state: 'FAILED', url: 'https://ci/1' } },
    expected: { state: 'FAILED' },
  },
  {
    op: 'statuses.updateBuild',
    run: (c) => c.statuses.updateBuild('acme', 'web', 'abc', 'ci', { state: 'SUCCESSFUL' }),
    request: { method: 'PUT', path: `${REPO}/commit/abc/statuses/build/ci`, body: { state: 'SUCCESSFUL' } },
    response: { status: 200, json: { type: 'build', key: 'ci', state: 'SUCCESSFUL' } },
    expected: { state: 'SUCCESSFUL' },
  },
  {
    op: 'statuses.getBuild',
    run: (c) => c.statuses.getBuild('acme', 'web', 'abc', 'ci'),
    request: { method: 'GET', path: `${REPO}/commit/abc/statuses/build/ci` },
    response: { status: 200, json: { type: 'build', key: 'ci', state: 'STOPPED' } },
    expected: { state: 'STOPPED' },
  },
  {
    op: 'defaultReviewers.list',
    run: (c) => c.defaultReviewers.list('acme', 'web'),
    request: { method: 'GET', path: `${REPO}/default-reviewers`, query: LIST },
    response: { status: 200, json: { values: [sampleAccount] } },
    expected: [{ uuid: '{u-1}' }],
  },
  {
    op: 'defaultReviewers.add',
    run: (c) => c.defaultReviewers.add('acme', 'web', '{u-1}'),
    request: { method: 'PUT', path: `${REPO}/default-reviewers/%7Bu-1%7D` },
    response: { status: 200, json: sampleAccount },
    expected: { display_name: 'Ada' },
  },
  {
    op: 'defaultReviewers.remove',
    run: (c) => c.defaultReviewers.remove('acme', 'web', '{u-1}'),
    request: { method: 'DELETE', path: `${REPO}/default-reviewers/%7Bu-1%7D` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'defaultReviewers.listEffective',
    run: (c) => c.defaultReviewers.listEffective('acme', 'web'),
    request: { method: 'GET', path: `${REPO}/effective-default-reviewers`, query: LIST },
    response: {
      status: 200,
      json: {
        values: [
          { type: 'default_reviewer', reviewer_type: 'repository', user: sampleAccount },
          { type: 'default_reviewer', reviewer_type: 'project', user: { ...sampleAccount, uuid: '{u-2}' } },
        ],
      },
    },
    expected: [{ reviewer_type: 'repository', user: { uuid: '{u-1}' } }, { reviewer_type: 'project' }],
  },
  {
    op: 'branchRestrictions.list',
    run: (c) => c.branchRestrictions.list('acme', 'web', { kind: 'require_approvals_to_merge', pattern: 'main' }),
    request: {
      method: 'GET',
      path: `${REPO}/branch-restrictions`,
      query: [...LIST, ['kind', 'require_approvals_to_merge'], ['pattern', 'main']],
    },
    response: { status: 200, json: { values: [restriction] } },
    expected: [{ id: 12, value: 2 }],
  },
  {
    op: 'branchRestrictions.get',
    run: (c) => c.branchRestrictions.get('acme', 'web', 12),
    request: { method: 'GET', path: `${REPO}/branch-restrictions/12` },
    response: { status: 200, json: restriction },
    expected: { kind: 'require_approvals_to_merge' },
  },
  {
    op: 'branchRestrictions.create',
    run: (c) =>
      c.branchRestrictions.create('acme', 'web', {
        kind: 'push',
        branch_match_kind: 'branching_model',
        branch_type: 'production',
        users: [{ uuid: '{u-1}' }],
        groups: [{ slug: 'admins' }],
      }),
    request: {
      method: 'POST',
      path: `${REPO}/branch-restrictions`,
      body: { kind: 'push', branch_match_kind: 'branching_model', branch_type: 'production', users: [{ uuid: '{u-1}' }], groups: [{ slug: 'admins' }] },
    },
    response: {
      status: 201,
      json: { ...restriction, id: 13, kind: 'push', branch_match_kind: 'branching_model', branch_type: 'production', pattern: '', value: null, users: [sampleAccount], groups: [{ type: 'group', slug: 'admins', name: 'Admins' }] },
    },
    expected: { id: 13, branch_type: 'production', groups: [{ slug: 'admins' }] },
  },
  {
    op: 'branchRestrictions.update',
    run: (c) => c.branchRestrictions.update('acme', 'web', 12, { value: 3 }),
    request: { method: 'PUT', path: `${REPO}/branch-restrictions/12`, body: { value: 3 } },
    response: { status: 200, json: { ...restriction, value: 3 } },
    expected: { value: 3 },
  },
  {
    op: 'branchRestrictions.delete',
    run: (c) => c.branchRestrictions.delete('acme', 'web', 12),
    request: { method: 'DELETE', path: `${REPO}/branch-restrictions/12` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'webhooks.list',
    run: (c) => c.webhooks.list('acme', 'web'),
    request: { method: 'GET', path: `${REPO}/hooks`, query: LIST },
    response: { status: 200, json: { values: [hook] } },
    expected: [{ uuid: '{h-1}', secret_set: true }],
  },
  {
    op: 'webhooks.create',
    run: (c) => c.webhooks.create('acme', 'web', hookInput),
    request: { method: 'POST', path: `${REPO}/hooks`, body: hookInput },
    response: { status: 201, json: hook },
    expected: { events: ['pullrequest:fulfilled', 'repo:push'] },
  },
  {
    op: 'webhooks.get',
    run: (c) => c.webhooks.get('acme', 'web', '{h-1}'),
    request: { method: 'GET', path: `${REPO}/hooks/%7Bh-1%7D` },
    response: { status: 200, json: hook },
    expected: { url: 'https://bosun.example.com/hooks' },
  },
  {
    op: 'webhooks.update',
    run: (c) => c.webhooks.update('acme', 'web', '{h-1}', { active: false, secret: null }),
    request: { method: 'PUT', path: `${REPO}/hooks/%7Bh-1%7D`, body: { active: false, secret: null } },
    response: { status: 200, json: { ...hook, active: false, secret_set: false } },
    expected: { active: false, secret_set: false },
  },
  {
    op: 'webhooks.delete',
    run: (c) => c.webhooks.delete('acme', 'web', '{h-1}'),
    request: { method: 'DELETE', path: `${REPO}/hooks/%7Bh-1%7D` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'pipelines.list',
    run: (c) => c.pipelines.list('acme', 'web', { sort: '-created_on', 'target.branch': 'main', max: 10 }),
    request: { method: 'GET', path: `${REPO}/pipelines`, query: [...LIST, ['sort', '-created_on'], ['target.branch', 'main']] },
    response: { status: 200, json: { page: 1, pagelen: 50, size: 1, values: [pipeline] } },
    expected: [{ build_number: 25, state: { name: 'IN_PROGRESS', stage: { name: 'RUNNING' } } }],
  },
  {
    op: 'pipelines.get',
    run: (c) => c.pipelines.get('acme', 'web', '{p-1}'),
    request: { method: 'GET', path: PIPE },
    response: { status: 200, json: pipeline },
    expected: { uuid: '{p-1}', target: { ref_name: 'main', commit: { hash: sampleCommit.hash }, selector: { type: 'custom' } } },
  },
  {
    op: 'pipelines.trigger',
    run: (c) =>
      c.pipelines.trigger('acme', 'web', {
        target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'main', selector: { type: 'custom', pattern: 'deploy' } },
        variables: [{ key: 'ENV', value: 'prod' }, { key: 'TOKEN', value: 'x', secured: true }],
      }),
    request: {
      method: 'POST',
      path: `${REPO}/pipelines`,
      body: {
        target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'main', selector: { type: 'custom', pattern: 'deploy' } },
        variables: [{ key: 'ENV', value: 'prod' }, { key: 'TOKEN', value: 'x', secured: true }],
      },
    },
    response: { status: 201, json: { ...pipeline, state: { type: 'pipeline_state_pending', name: 'PENDING' } } },
    expected: { uuid: '{p-1}', state: { name: 'PENDING' } },
  },
  {
    op: 'pipelines.stop',
    run: (c) => c.pipelines.stop('acme', 'web', '{p-1}'),
    request: { method: 'POST', path: `${PIPE}/stopPipeline` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'pipelines.listSteps',
    run: (c) => c.pipelines.listSteps('acme', 'web', '{p-1}'),
    request: { method: 'GET', path: `${PIPE}/steps`, query: LIST },
    response: { status: 200, json: { values: [step] } },
    expected: [{ name: 'Build', state: { name: 'COMPLETED', result: { name: 'FAILED' } } }],
  },
  {
    op: 'pipelines.getStep',
    run: (c) => c.pipelines.getStep('acme', 'web', '{p-1}', '{s-1}'),
    request: { method: 'GET', path: `${PIPE}/steps/%7Bs-1%7D` },
    response: { status: 200, json: step },
    expected: { uuid: '{s-1}', duration_in_seconds: 59 },
  },
  {
    op: 'pipelines.getStepLog',
    run: (c) => c.pipelines.getStepLog('acme', 'web', '{p-1}', '{s-1}'),
    request: { method: 'GET', path: `${PIPE}/steps/%7Bs-1%7D/log` },
    response: { status: 200, text: '+ npm test\nok\n' },
    expected: '+ npm test\nok\n',
  },
  {
    op: 'pipelinesConfig.get',
    run: (c) => c.pipelinesConfig.get('acme', 'web'),
    request: { method: 'GET', path: `${REPO}/pipelines_config` },
    response: { status: 200, json: { type: 'repository_pipelines_configuration', enabled: true, repository: { type: 'repository', full_name: 'acme/web' } } },
    expected: { enabled: true },
  },
  {
    op: 'pipelinesConfig.update',
    run: (c) => c.pipelinesConfig.update('acme', 'web', { enabled: false }),
    request: { method: 'PUT', path: `${REPO}/pipelines_config`, body: { enabled: false } },
    response: { status: 200, json: { type: 'repository_pipelines_configuration', enabled: false } },
    expected: { enabled: false },
  },
];
