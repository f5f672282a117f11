import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

const NON_ADMINS = ['bob', 'carol', 'dave', 'erin'] as const;
const template = { name: 'service', summary: '', settings: { isPrivate: true } };

/** The workspace page: every route its sessions reach, the repository list included, is refused unless Bitbucket says the viewer is an admin. */
describe.each(testDatabaseKinds())('workspace page sessions and the template routes (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind, worker: false });
  });
  afterAll(async () => stack?.close());

  const writes = (): Array<[string, string, unknown?]> => [
    ['GET', '/api/admin/templates'],
    ['POST', '/api/admin/templates', { template, expectedVersion: 0 }],
    ['DELETE', '/api/admin/templates?name=service'],
    ['POST', '/api/admin/templates/preview', { template: 'service', repos: ['web'] }],
    ['POST', '/api/admin/templates/apply', { template: 'service', repos: ['web'], batchKey: 'batch-members-1', confirmed: true }],
    ['POST', '/api/admin/templates/create-repository', { template: 'service', repo: 'tools', requestKey: 'create-members-1', confirmed: true }],
    ['GET', '/api/admin/templates/progress?batch=00000000-0000-4000-8000-000000000000'],
  ];

  it.each(NON_ADMINS)('%s gets 403 from the workspace view and every template route, and nothing is stored or queued', async (nickname) => {
    const session = sessionFor(stack, nickname, 'workspace');
    for (const [method, path, body] of [['GET', '/api/workspace'] as [string, string], ...writes()]) {
      const res = await callApi(stack, session, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('NOT_WORKSPACE_ADMIN');
    }
    const { db } = stack.bosun.services;
    expect(await db.models.RepositoryTemplate.count()).toBe(0);
    expect(await db.models.Job.count({ where: { type: ['templates.bulkApply', 'agent.execute'] } })).toBe(0);
  });

  it('alice, an admin, gets past the check from the workspace page', async () => {
    const session = sessionFor(stack, 'alice', 'workspace');
    expect((await callApi(stack, session, 'GET', '/api/workspace')).status).toBe(200);
    expect((await callApi(stack, session, 'POST', '/api/admin/templates', { template, expectedVersion: 0 })).status).toBe(200);
    const apply = await callApi(stack, session, 'POST', '/api/admin/templates/apply', { template: 'service', repos: ['web'], batchKey: 'batch-alice-01', confirmed: true });
    expect(apply.status).toBe(202);
    const progress = await callApi(stack, session, 'GET', `/api/admin/templates/progress?batch=${apply.json.batchId}`);
    expect(progress.json).toMatchObject({ done: 0, failed: 0, remaining: 1, repositories: [{ repo: 'web', state: 'remaining' }] });
    // Another tenant's or an unknown batch is not found, not someone else's progress.
    expect((await callApi(stack, session, 'GET', '/api/admin/templates/progress?batch=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
