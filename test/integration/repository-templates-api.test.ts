import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRepositoryFacts } from '../helpers/list-repository-facts';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

const CAROL = '{ca201000-0000-4000-8000-000000000003}';
const REPOS = ['svc-a', 'svc-b', 'svc-c'];

const template = {
  name: 'service',
  summary: 'Back-end services',
  settings: {
    isPrivate: true,
    branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }],
    defaultReviewers: [CAROL],
    webhooks: [{ description: 'CI', url: 'https://ci.example.com/bitbucket', events: ['repo:push'] }],
    pipelinesEnabled: true,
  },
};

describe.each(testDatabaseKinds())('repository templates in admin settings (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    // atlassian-connect.json asks for the webhook scope the template's webhooks need.
    stack = await startStack({ database: kind });
    for (const slug of REPOS) stack.sandbox.actions.createRepository({ workspace: 'acme', slug, actor: 'alice', isPrivate: false });
  }, 60_000);
  afterAll(async () => stack?.close());

  const admin = (method: string, p: string, body?: unknown) => callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), method, p, body);
  const repoOf = (slug: string) => stack.sandbox.state.repositories.find((r) => r.slug === slug)!;

  it('saves a template with help for each setting, refuses an invalid one with its issues, and keeps a non-admin out', async () => {
    const saved = await admin('POST', '/api/admin/templates', { template, expectedVersion: 0 });
    expect(saved.status).toBe(200);
    expect(saved.json.templates).toMatchObject([{ template: { name: 'service' }, version: 1 }]);
    expect(saved.json.settings.map((s: { key: string }) => s.key)).toContain('branchRestrictions');
    const stale = await admin('POST', '/api/admin/templates', { template, expectedVersion: 0 });
    expect(stale.status).toBe(409);
    const invalid = await admin('POST', '/api/admin/templates', { template: { name: 'bad', settings: { branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main' }] } }, expectedVersion: 0 });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.code).toBe('INVALID_TEMPLATE');
    expect(invalid.json.issues).toEqual([{ path: 'settings.branchRestrictions.0.value', message: expect.stringContaining('value is required') }]);
    const bob = await callApi(stack, sessionFor(stack, 'bob', 'admin-settings'), 'GET', '/api/admin/templates');
    expect(bob.status).toBe(403);
  });

  it('previews three repositories, applies only once confirmed, shows progress to the end, and drift goes to zero', async () => {
    // The preview reads the mirror only: before the sweep lists their settings it says so, without a Bitbucket call.
    const credential = `app:${stack.installation.clientKey}`;
    stack.sandbox.requests.reset();
    const early = await admin('POST', '/api/admin/templates/preview', { template: 'service', repos: REPOS });
    expect(early.status).toBe(200);
    for (const r of early.json.repositories) expect(r.unknown.length).toBeGreaterThan(0);
    await listRepositoryFacts(stack, REPOS);
    const beforeRequests = stack.sandbox.requests.get(credential).total;
    const preview = await admin('POST', '/api/admin/templates/preview', { template: 'service', repos: REPOS });
    expect(preview.status).toBe(200);
    // The admin check may ask Bitbucket once (cached 60 s); the preview itself asks nothing.
    expect(stack.sandbox.requests.get(credential).total - beforeRequests).toBe(0);
    expect(preview.json.repositories).toHaveLength(3);
    for (const r of preview.json.repositories) {
      expect(r.drifted).toBe(true);
      expect(r.unknown).toEqual([]);
      expect(r.changes).toEqual([
        'make the repository private', 'add branch restriction require_approvals_to_merge = 2 on main', `add default reviewer ${CAROL}`, 'add webhook https://ci.example.com/bitbucket', 'enable Pipelines',
      ]);
    }
    expect(repoOf('svc-a').isPrivate).toBe(false);

    const unconfirmed = await admin('POST', '/api/admin/templates/apply', { template: 'service', repos: REPOS, batchKey: 'batch-0001' });
    expect(unconfirmed.status).toBe(400);

    const byLane = async () => {
      const rows = await stack.bosun.services.db.models.BudgetUsage.findAll({ where: { clientKey: stack.installation.clientKey, credential: 'installation' }, raw: true });
      return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.lane]: (acc[r.lane] ?? 0) + r.count }), {});
    };
    const before = await byLane();
    const requestsBefore = stack.sandbox.requests.get(credential).total;
    const accepted = await admin('POST', '/api/admin/templates/apply', { template: 'service', repos: REPOS, batchKey: 'batch-0001', confirmed: true });
    expect(accepted.status).toBe(202);
    expect(accepted.json).toMatchObject({ template: 'service', repos: REPOS, batchId: expect.any(String) });
    // The same batch asked again (a double click) queues nothing new.
    const again = await admin('POST', '/api/admin/templates/apply', { template: 'service', repos: REPOS, batchKey: 'batch-0001', confirmed: true });
    expect(again.json.batchId).toBe(accepted.json.batchId);

    const finished = await waitFor(async () => {
      const progress = await admin('GET', `/api/admin/templates/progress?batch=${accepted.json.batchId}`);
      return progress.json.remaining === 0 ? progress.json : null;
    }, 'every repository applied');
    expect(finished).toMatchObject({ done: 3, failed: 0, remaining: 0, pausedUntil: null });
    // The applies' requests were counted in the automation lane (6 reads and at least one write each), none in the people lane.
    const spent = await byLane();
    expect((spent.automation ?? 0) - (before.automation ?? 0)).toBeGreaterThanOrEqual(3 * 7);
    expect(spent.people ?? 0).toBe(before.people ?? 0);
    // Each Bitbucket call is charged once: the budget rows added are the requests the sandbox saw (the batch reserves nothing).
    const charged = Object.values(spent).reduce((a, b) => a + b, 0) - Object.values(before).reduce((a, b) => a + b, 0);
    expect(charged).toBe(stack.sandbox.requests.get(credential).total - requestsBefore);
    for (const slug of REPOS) {
      expect(repoOf(slug)).toMatchObject({ isPrivate: true, pipelinesEnabled: true });
      expect(stack.sandbox.state.repositoryWebhooks.filter((h) => h.repoUuid === repoOf(slug).uuid)).toHaveLength(1);
    }
    const list = await admin('GET', '/api/admin/templates');
    expect(list.json.bindings.map((b: { fullName: string; status: string; pending: string[] }) => [b.fullName, b.status, b.pending])).toEqual(
      REPOS.map((slug) => [`acme/${slug}`, 'in-sync', []]),
    );
    // The applies wrote what they left in place to the mirror: the preview, still from the mirror only, finds nothing to do.
    const after = await admin('POST', '/api/admin/templates/preview', { template: 'service', repos: REPOS });
    expect(after.json.repositories.map((r: { drifted: boolean; unknown: string[] }) => [r.drifted, r.unknown])).toEqual([[false, []], [false, []], [false, []]]);
  });

  it('creates a repository from a template with its README: stopped at the README, the progress says where; asked again, it finishes', async () => {
    const docs = { name: 'docs', settings: { readme: '# Handbook\n', branchRestrictions: [{ kind: 'push', pattern: 'main' }] } };
    expect((await admin('POST', '/api/admin/templates', { template: docs, expectedVersion: 0 })).status).toBe(200);
    const create = async (requestKey: string) => {
      const accepted = await admin('POST', '/api/admin/templates/create-repository', { template: 'docs', repo: 'handbook', requestKey, confirmed: true });
      expect(accepted.status).toBe(202);
      return waitFor(async () => {
        const progress = await admin('GET', `/api/admin/templates/progress?jobs=${accepted.json.jobs[0].jobId}`);
        return progress.json.remaining === 0 ? progress.json : null;
      }, 'the create finished');
    };
    const fault = stack.sandbox.faults.add({ method: 'POST', pathPattern: '/2.0/repositories/acme/handbook/src', status: 403 });
    const stopped = await create('create-handbook-0001');
    expect(stopped).toMatchObject({ done: 0, failed: 1, repositories: [{ repo: 'handbook', state: 'failed', message: expect.stringContaining('then stopped at README.md from template docs') }] });
    stack.sandbox.faults.remove(fault.id);
    const finished = await create('create-handbook-0002');
    expect(finished).toMatchObject({ done: 1, failed: 0, repositories: [{ repo: 'handbook', state: 'done' }] });
    expect(finished.repositories[0].message).toContain('✓ committed README.md from the template');
    const head = stack.sandbox.state.branches.find((b) => b.repoUuid === repoOf('handbook').uuid && b.name === 'main')!.target;
    expect(stack.sandbox.state.commits.find((c) => c.hash === head)!.tree['README.md']).toBe('# Handbook\n');
  });
});
