import { pullRequestBody } from './fake-bitbucket';
import { LIST, sampleAccount, sampleCommit, type OperationCase } from './operation-cases';

const PR = '/2.0/repositories/acme/web/pullrequests/7';
const participant = { type: 'participant', user: sampleAccount, role: 'REVIEWER', approved: true, state: 'approved' };
const comment = { type: 'pullrequest_comment', id: 42, content: { raw: 'Looks good', html: '<p>Looks good</p>' }, user: sampleAccount };
const task = {
  type: 'task',
  id: 9,
  state: 'UNRESOLVED',
  content: { raw: 'Add a test', markup: 'markdown', html: '<p>Add a test</p>' },
  creator: sampleAccount,
  pending: false,
  comment: { type: 'pullrequest_comment', id: 42 },
  created_on: '2026-01-01T00:00:00Z',
  updated_on: '2026-01-01T00:00:00Z',
  resolved_on: null,
  resolved_by: null,
};

export const pullRequestCases: OperationCase[] = [
  {
    op: 'pullRequests.list',
    run: (c) => c.pullRequests.list('acme', 'web', { state: ['OPEN', 'MERGED'], q: 'author.uuid="{u-1}"' }),
    request: {
      method: 'GET',
      path: '/2.0/repositories/acme/web/pullrequests',
      query: [...LIST, ['state', 'OPEN'], ['state', 'MERGED'], ['q', 'author.uuid="{u-1}"']],
    },
    response: { status: 200, json: { values: [pullRequestBody(7)] } },
    expected: [{ id: 7 }],
  },
  {
    op: 'pullRequests.get',
    run: (c) => c.pullRequests.get('acme', 'web', 7),
    request: { method: 'GET', path: PR },
    response: { status: 200, json: pullRequestBody(7) },
    expected: { id: 7, state: 'OPEN' },
  },
  {
    op: 'pullRequests.create',
    run: (c) => c.pullRequests.create('acme', 'web', { title: 'T', source: { branch: { name: 'feature' } } }),
    request: { method: 'POST', path: '/2.0/repositories/acme/web/pullrequests', body: { title: 'T', source: { branch: { name: 'feature' } } } },
    response: { status: 201, json: pullRequestBody(7) },
    expected: { id: 7 },
  },
  {
    op: 'pullRequests.update',
    run: (c) =>
      c.pullRequests.update('acme', 'web', 7, {
        title: 'New title',
        description: 'Body',
        destination: { branch: { name: 'develop' } },
        reviewers: [{ uuid: '{u-2}' }],
        close_source_branch: true,
        draft: false,
      }),
    request: {
      method: 'PUT',
      path: PR,
      body: {
        title: 'New title',
        description: 'Body',
        destination: { branch: { name: 'develop' } },
        reviewers: [{ uuid: '{u-2}' }],
        close_source_branch: true,
        draft: false,
      },
    },
    response: { status: 200, json: { ...pullRequestBody(7), title: 'New title', close_source_branch: true } },
    expected: { title: 'New title', close_source_branch: true },
  },
  {
    op: 'pullRequests.approve',
    run: (c) => c.pullRequests.approve('acme', 'web', 7),
    request: { method: 'POST', path: `${PR}/approve` },
    response: { status: 200, json: participant },
    expected: { approved: true },
  },
  {
    op: 'pullRequests.unapprove',
    run: (c) => c.pullRequests.unapprove('acme', 'web', 7),
    request: { method: 'DELETE', path: `${PR}/approve` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'pullRequests.requestChanges',
    run: (c) => c.pullRequests.requestChanges('acme', 'web', 7),
    request: { method: 'POST', path: `${PR}/request-changes` },
    response: { status: 200, json: { ...participant, approved: false, state: 'changes_requested' } },
    expected: { state: 'changes_requested' },
  },
  {
    op: 'pullRequests.removeChangeRequest',
    run: (c) => c.pullRequests.removeChangeRequest('acme', 'web', 7),
    request: { method: 'DELETE', path: `${PR}/request-changes` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'pullRequests.decline',
    run: (c) => c.pullRequests.decline('acme', 'web', 7),
    request: { method: 'POST', path: `${PR}/decline` },
    response: { status: 200, json: pullRequestBody(7, 'DECLINED') },
    expected: { state: 'DECLINED' },
  },
  {
    op: 'pullRequests.merge',
    run: (c) => c.pullRequests.merge('acme', 'web', 7, { merge_strategy: 'squash' }),
    request: { method: 'POST', path: `${PR}/merge`, body: { merge_strategy: 'squash' } },
    response: { status: 200, json: pullRequestBody(7, 'MERGED') },
    expected: { state: 'MERGED' },
  },
  {
    op: 'pullRequests.listStatuses',
    run: (c) => c.pullRequests.listStatuses('acme', 'web', 7),
    request: { method: 'GET', path: `${PR}/statuses`, query: LIST },
    response: { status: 200, json: { values: [{ type: 'build', key: 'ci', state: 'SUCCESSFUL' }] } },
    expected: [{ key: 'ci', state: 'SUCCESSFUL' }],
  },
  {
    op: 'pullRequests.listComments',
    run: (c) => c.pullRequests.listComments('acme', 'web', 7, { q: 'deleted = false' }),
    request: { method: 'GET', path: `${PR}/comments`, query: [...LIST, ['q', 'deleted = false']] },
    response: { status: 200, json: { values: [comment] } },
    expected: [{ id: 42 }],
  },
  {
    op: 'pullRequests.createComment',
    run: (c) => c.pullRequests.createComment('acme', 'web', 7, { content: { raw: 'Looks good' }, inline: { path: 'a.ts', to: 3 } }),
    request: { method: 'POST', path: `${PR}/comments`, body: { content: { raw: 'Looks good' }, inline: { path: 'a.ts', to: 3 } } },
    response: { status: 201, json: comment },
    expected: { id: 42 },
  },
  {
    op: 'pullRequests.updateComment',
    run: (c) => c.pullRequests.updateComment('acme', 'web', 7, 42, { content: { raw: 'Edited' } }),
    request: { method: 'PUT', path: `${PR}/comments/42`, body: { content: { raw: 'Edited' } } },
    response: { status: 200, json: { ...comment, content: { raw: 'Edited' } } },
    expected: { content: { raw: 'Edited' } },
  },
  {
    op: 'pullRequests.deleteComment',
    run: (c) => c.pullRequests.deleteComment('acme', 'web', 7, 42),
    request: { method: 'DELETE', path: `${PR}/comments/42` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'pullRequests.listActivity',
    run: (c) => c.pullRequests.listActivity('acme', 'web', 7, { max: 3 }),
    request: { method: 'GET', path: `${PR}/activity`, query: LIST },
    response: {
      status: 200,
      json: {
        values: [
          { pull_request: { type: 'pullrequest', id: 7, title: 'T' }, approval: { date: '2026-01-01T00:00:00Z', user: sampleAccount } },
          { pull_request: { id: 7 }, update: { state: 'OPEN', title: 'T', date: '2026-01-01T00:00:00Z', author: sampleAccount, changes: {} } },
          { pull_request: { id: 7 }, comment },
        ],
      },
    },
    expected: [{ approval: { user: { uuid: '{u-1}' } } }, { update: { state: 'OPEN' } }, { comment: { id: 42 } }],
  },
  {
    op: 'pullRequests.getDiffstat',
    run: (c) => c.pullRequests.getDiffstat('acme', 'web', 7),
    request: { method: 'GET', path: `${PR}/diffstat`, query: LIST },
    response: {
      status: 200,
      json: {
        values: [
          { type: 'diffstat', status: 'modified', lines_added: 3, lines_removed: 1, old: { path: 'a.ts', type: 'commit_file' }, new: { path: 'a.ts', type: 'commit_file' } },
          { type: 'diffstat', status: 'added', lines_added: 10, lines_removed: 0, old: null, new: { path: 'b.ts' } },
        ],
      },
    },
    expected: [{ status: 'modified', lines_added: 3 }, { status: 'added', old: null }],
  },
  {
    op: 'pullRequests.listCommits',
    run: (c) => c.pullRequests.listCommits('acme', 'web', 7),
    request: { method: 'GET', path: `${PR}/commits`, query: LIST },
    response: { status: 200, json: { values: [sampleCommit] } },
    expected: [{ hash: sampleCommit.hash }],
  },
  {
    op: 'pullRequests.listTasks',
    run: (c) => c.pullRequests.listTasks('acme', 'web', 7, { q: 'state="UNRESOLVED"', max: 20 }),
    request: { method: 'GET', path: `${PR}/tasks`, query: [...LIST, ['q', 'state="UNRESOLVED"']] },
    response: { status: 200, json: { values: [task] } },
    expected: [{ id: 9, state: 'UNRESOLVED', comment: { id: 42 } }],
  },
  {
    op: 'pullRequests.createTask',
    run: (c) => c.pullRequests.createTask('acme', 'web', 7, { content: { raw: 'Add a test' }, comment: { id: 42 } }),
    request: { method: 'POST', path: `${PR}/tasks`, body: { content: { raw: 'Add a test' }, comment: { id: 42 } } },
    response: { status: 201, json: task },
    expected: { id: 9, content: { raw: 'Add a test' } },
  },
  {
    op: 'pullRequests.updateTask',
    run: (c) => c.pullRequests.updateTask('acme', 'web', 7, 9, { state: 'RESOLVED' }),
    request: { method: 'PUT', path: `${PR}/tasks/9`, body: { state: 'RESOLVED' } },
    response: { status: 200, json: { ...task, state: 'RESOLVED', resolved_by: sampleAccount, resolved_on: '2026-01-02T00:00:00Z' } },
    expected: { state: 'RESOLVED', resolved_by: { uuid: '{u-1}' } },
  },
];
