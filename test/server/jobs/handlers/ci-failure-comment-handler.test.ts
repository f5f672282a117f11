import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryAuditStore, createMemoryExecutionStore, createToolCatalog, defineTool, ruleRecordDryRun, toStickyMarker } from '../../../../server/agent';
import { NotFoundError, type BitbucketClient } from '../../../../server/bitbucket';
import { CI_FAILURE_COMMENT_JOB } from '../../../../server/ci-failure-comment-jobs';
import { createCiFailureCommentHandlers } from '../../../../server/create-ci-failure-comment';
import { createReceiver } from '../../../../server/jobs';
import { createMemoryPolicyStore } from '../../../../server/policies';
import { createTickingClock, silentLogger } from '../../agent/agent-fakes';
import { createCountingTenants, toTestTenant } from './handler-harness';

/**
 * The failed-builds comment (`ci.failureComment`, wired at the composition root) through `receive()`:
 * in-memory tenants, policies and audit, a fake installation client, and the executor over a
 * recording comment tool and the real dry-run tool. The plan is the handler's; the executor runs it.
 */

const CK = 'ck-builds';
const REPO = '{0000aaaa-0000-4000-8000-000000000001}';
const HEAD = 'abcdef123456';
const FULL = `${HEAD}${'0'.repeat(28)}`;

interface FakeStatus { key: string; name: string; state: string; url: string; description?: string }

function setup(opts: { statuses?: FakeStatus[]; stickyExists?: boolean; installed?: boolean } = {}) {
  const calls: string[] = [];
  const statuses = opts.statuses ?? [{ key: 'unit', name: 'Unit tests', state: 'FAILED', url: 'https://ci.example/unit', description: '3 tests failed' }];
  const pr = (id: number, head: string) => ({ id, source: { commit: { hash: head }, branch: { name: `feature/${id}` } }, destination: { branch: { name: 'main' } } });
  const client = {
    pullRequests: {
      async list(_ws: string, repo: string) {
        calls.push(`list:${repo}`);
        return [pr(1, HEAD), pr(2, 'fedcba654321')];
      },
      async listStatuses(_ws: string, _repo: string, id: number) {
        calls.push(`statuses:${id}`);
        return statuses;
      },
      async listComments(_ws: string, _repo: string, id: number) {
        calls.push(`comments:${id}`);
        return opts.stickyExists ? [{ id: 9, deleted: false, content: { raw: `Earlier\n${toStickyMarker('bosun-builds')}` } }] : [];
      },
    },
    repositories: { async get() { return { slug: 'web', uuid: REPO }; } },
    source: {
      async getFile() {
        throw new NotFoundError('No bosun.yml', { method: 'GET', path: '/src' });
      },
    },
  } as unknown as BitbucketClient;
  const comments: Array<{ repo: string; pullRequestId: number; body: string; stickyKey?: string | undefined }> = [];
  const commentTool = defineTool({
    name: 'pullRequest.comment',
    description: 'records the comment',
    input: z.object({ workspace: z.string().optional(), repo: z.string(), pullRequestId: z.number(), body: z.string(), stickyKey: z.string().optional() }),
    scopes: ['pullrequest'],
    actsAs: 'installation',
    risk: 'write',
    async run(_ctx, input) {
      comments.push(input);
      return { summary: `Commented on #${input.pullRequestId}.`, links: [] };
    },
  });
  const tenant = toTestTenant(CK);
  const tenants = createCountingTenants(opts.installed === false ? [] : [tenant]);
  const audit = createMemoryAuditStore();
  const now = createTickingClock();
  const clients = { forInstallation: async () => client, forUser: async () => client };
  const executor = createExecutor({
    tools: createToolCatalog([commentTool, ruleRecordDryRun]), clients, audit, executions: createMemoryExecutionStore(), logger: silentLogger, now,
    installationScopes: ['pullrequest', 'pullrequest:write', 'repository'],
  });
  const policies = createMemoryPolicyStore();
  const handlers = createCiFailureCommentHandlers({ policies, tenants, clients: { forTenant: () => client }, executor: () => executor, logger: silentLogger });
  const receiver = createReceiver(handlers, { logger: silentLogger, now });
  const run = () => receiver.receive({ type: CI_FAILURE_COMMENT_JOB, clientKey: CK, payload: { repositoryUuid: REPO, commitHash: FULL } });
  const switchOn = () => policies.save(CK, 'workspace', { buildFailures: { mode: 'on' } }, 'test', 0);
  return { run, calls, comments, audit, tenants, switchOn };
}

describe('ci.failureComment through receive()', () => {
  it('in dry-run (the default) the PR whose head the status is on gets an audit entry of what it would say, and no comment', async () => {
    const t = setup();
    expect(await t.run()).toEqual({ pullRequests: 1, results: [{ pullRequestId: 1, outcome: 'succeeded', mode: 'dry-run' }] });
    expect(t.comments).toEqual([]);
    const { entries } = await t.audit.list(CK);
    expect(entries.map((e) => [e.tools, e.trigger.kind])).toEqual([[['rule.recordDryRun'], 'rule:buildFailures']]);
    // Only PR #1's head is the commit: PR #2 is not read further.
    expect(t.calls.filter((c) => c.endsWith(':2'))).toEqual([]);
  });

  it('switched on, one sticky comment names the failing build; the same failures again write nothing new', async () => {
    const t = setup();
    await t.switchOn();
    await t.run();
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0]).toMatchObject({ repo: 'web', pullRequestId: 1, stickyKey: 'bosun-builds' });
    expect(t.comments[0]!.body).toContain('[Unit tests](https://ci.example/unit): 3 tests failed');
    // A redelivered status: same failures, same idempotency key, no second comment.
    await t.run();
    expect(t.comments).toHaveLength(1);
  });

  it('nothing failing and no comment yet: nothing to say; an uninstalled tenant is ignored without a Bitbucket call', async () => {
    const green = setup({ statuses: [{ key: 'unit', name: 'Unit tests', state: 'SUCCESSFUL', url: 'https://ci.example/unit' }] });
    await green.switchOn();
    expect(await green.run()).toEqual({ pullRequests: 1, results: [] });
    expect(green.comments).toEqual([]);
    const gone = setup({ installed: false });
    expect(await gone.run()).toEqual({ ignored: 'uninstalled' });
    expect(gone.calls).toEqual([]);
  });

  it('all green after a comment was written: the comment is marked resolved', async () => {
    const t = setup({ statuses: [{ key: 'unit', name: 'Unit tests', state: 'SUCCESSFUL', url: 'https://ci.example/unit' }], stickyExists: true });
    await t.switchOn();
    await t.run();
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0]!.body).toContain('Builds no longer failing');
  });
});
