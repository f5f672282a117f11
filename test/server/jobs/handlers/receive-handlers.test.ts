import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyTool, MERGE_QUEUE_ENQUEUE_TOOL, type AutoMergeStore, defineTool } from '../../../../server/agent';
import type { BitbucketClient } from '../../../../server/bitbucket';
import { AGENT_EXECUTE_JOB, PULL_REQUEST_SYNC_JOB, type AutomationInput } from '../../../../server/jobs';
import { alice, createRecordingTool } from '../../agent/agent-fakes';
import { createHandlerHarness, toTestTenant } from './handler-harness';

const TENANT = toTestTenant('ck-receive');

function setup(tools: AnyTool[], client: BitbucketClient, extra: Partial<AutomationInput> = {}) {
  const h = createHandlerHarness({ tenants: [TENANT], tools, client, installationScopes: ['pullrequest:write', 'pullrequest'], extra });
  return { receiver: h.receiver, tenants: h.tenants, audit: h.audit, autoMerges: h.autoMerges, made: h.made };
}

const unusedClient = {} as BitbucketClient;

describe('agent.execute through receive(): plan in hand, execute', () => {
  const payload = (key: string) => ({
    plan: { summary: 'Approve #3', source: 'button', steps: [{ tool: 'pullRequest.approve', input: { repo: 'web' } }] },
    actor: { userUuid: alice.userUuid, accountId: alice.accountId },
    idempotencyKey: key,
    confirmed: true,
    trigger: { kind: 'button', ref: 'acme/web#3' },
  });

  it('runs the plan once through the executor, which writes the one audit entry; the tenant is loaded once', async () => {
    const approve = createRecordingTool('pullRequest.approve', { risk: 'write', actsAs: 'user', scopes: ['pullrequest:write'] });
    const { receiver, tenants, audit } = setup([approve], unusedClient);
    const first = (await receiver.receive({ type: AGENT_EXECUTE_JOB, clientKey: TENANT.clientKey, payload: payload('panel:alice:k1') })) as { auditId: number };
    const again = (await receiver.receive({ type: AGENT_EXECUTE_JOB, clientKey: TENANT.clientKey, payload: payload('panel:alice:k1') })) as { auditId: number };
    expect(approve.runs).toHaveLength(1);
    expect(again.auditId).toBe(first.auditId);
    const entries = await audit.list(TENANT.clientKey, {});
    expect(entries.entries.map((e) => [e.outcome, e.actor.userUuid, e.trigger.kind])).toEqual([['succeeded', alice.userUuid, 'button']]);
    expect(tenants.reads).toBe(2);
  });

  it('an uninstalled tenant or a payload that is not a plan fails for good, and nothing runs', async () => {
    const approve = createRecordingTool('pullRequest.approve', { risk: 'write', actsAs: 'user', scopes: ['pullrequest:write'] });
    const { receiver } = setup([approve], unusedClient);
    await expect(receiver.receive({ type: AGENT_EXECUTE_JOB, clientKey: 'gone', payload: payload('panel:alice:k2') })).rejects.toMatchObject({ code: 'JOB_PERMANENT', retryable: false });
    await expect(receiver.receive({ type: AGENT_EXECUTE_JOB, clientKey: TENANT.clientKey, payload: { plan: 'merge it' } })).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
    await expect(receiver.receive({ type: 'no.such.job', clientKey: TENANT.clientKey, payload: {} })).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_TYPE' });
    expect(approve.runs).toHaveLength(0);
  });
});

describe('pullrequest.sync through receive(): armed auto-merges against the current PR', () => {
  const pullRequest = (state: 'OPEN' | 'MERGED' | 'DECLINED', hash = 'abc123def456') => ({ id: 3, state, source: { commit: { hash } } });
  const arm = (autoMerges: AutoMergeStore) =>
    autoMerges.ensurePending(
      { clientKey: TENANT.clientKey, repositoryFullName: 'acme/web', repositoryUuid: '{0000000a-0000-4000-8000-000000000001}', pullRequestId: 3, mergeStrategy: null, requestedByUuid: alice.userUuid, requestedByAccountId: alice.accountId },
      new Date('2026-03-01T09:00:00Z'),
    );
  const sync = (commitHash: string | null = null) => ({ repositoryUuid: '{0000000a-0000-4000-8000-000000000001}', pullRequestId: 3, commitHash, firstEvent: 'repo:commit_status_updated' });

  it('a PR merged outside Bosun finishes its auto-merge without running anything; one tenant load, one client', async () => {
    const merge = createRecordingTool('pullRequest.merge', { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const client = { pullRequests: { get: async () => pullRequest('MERGED') } } as unknown as BitbucketClient;
    const { receiver, autoMerges, tenants, made, audit } = setup([merge], client);
    await arm(autoMerges);
    const result = await receiver.receive({ type: PULL_REQUEST_SYNC_JOB, clientKey: TENANT.clientKey, payload: sync() });
    expect(result).toMatchObject({ checked: 1, results: [{ state: 'merged-elsewhere' }] });
    expect(autoMerges.all().map((a) => a.state)).toEqual(['merged']);
    expect(merge.runs).toHaveLength(0);
    expect((await audit.list(TENANT.clientKey, {})).entries).toEqual([]);
    expect(tenants.reads).toBe(1);
    expect(made).toEqual([`installation:${TENANT.clientKey}`]);
  });

  it('a status on an older commit says nothing about the head: the auto-merge stays armed', async () => {
    const merge = createRecordingTool('pullRequest.merge', { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const client = { pullRequests: { get: async () => pullRequest('OPEN', 'fff000') } } as unknown as BitbucketClient;
    const { receiver, autoMerges } = setup([merge], client);
    await arm(autoMerges);
    expect(await receiver.receive({ type: PULL_REQUEST_SYNC_JOB, clientKey: TENANT.clientKey, payload: sync('abc123') })).toMatchObject({ results: [{ state: 'other-commit' }] });
    expect(autoMerges.all().map((a) => a.state)).toEqual(['pending']);
    expect(merge.runs).toHaveLength(0);
  });

  /** Bosun's sticky replies, as the comment tool would post them. */
  function createReplies(): AnyTool & { bodies: string[] } {
    const bodies: string[] = [];
    const tool = defineTool({
      name: 'pullRequest.comment', description: 'test sticky comment', input: z.object({ body: z.string() }).loose(), scopes: ['pullrequest'], actsAs: 'installation', risk: 'write',
      async run(_ctx, input) {
        bodies.push(input.body);
        return { summary: 'commented', links: [] };
      },
    });
    return { ...(tool as AnyTool), bodies };
  }

  /** A PR that is ready: one successful build, nothing else asked for; counts its reads. */
  function readyClient() {
    const reads = { pr: 0 };
    const client = {
      pullRequests: {
        get: async () => {
          reads.pr += 1;
          return { ...pullRequest('OPEN'), title: 'Add search', destination: { branch: { name: 'main' } }, participants: [] };
        },
        listStatuses: async () => [{ key: 'ci', state: 'SUCCESSFUL' }],
        listTasks: async () => [],
      },
      branchRestrictions: { list: async () => [] },
    } as unknown as BitbucketClient;
    return { client, reads };
  }

  it('a ready PR: the planner decides from one read of it, the executor merges once and audits it', async () => {
    const merge = createRecordingTool('pullRequest.merge', { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const { client, reads } = readyClient();
    const replies = createReplies();
    const { receiver, autoMerges, audit } = setup([merge, replies], client);
    await arm(autoMerges);
    expect(await receiver.receive({ type: PULL_REQUEST_SYNC_JOB, clientKey: TENANT.clientKey, payload: sync() })).toMatchObject({ results: [{ state: 'succeeded' }] });
    expect(merge.runs).toEqual([{ workspace: 'acme', repo: '{0000000a-0000-4000-8000-000000000001}' }]);
    expect(reads.pr).toBe(1);
    expect(autoMerges.all().map((a) => a.state)).toEqual(['merged']);
    expect((await audit.list(TENANT.clientKey, {})).entries.map((e) => [e.tools, e.trigger.kind, e.actor.kind])).toEqual([[['pullRequest.merge'], 'auto-merge', 'rule']]);
    expect(replies.bodies).toEqual([expect.stringContaining('merged #3')]);
  });

  it('with a merge route that says queue, the enqueue tool runs instead of a merge', async () => {
    const merge = createRecordingTool('pullRequest.merge', { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const enqueue = createRecordingTool(MERGE_QUEUE_ENQUEUE_TOOL, { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const { client, reads } = readyClient();
    const routed: number[] = [];
    const replies = createReplies();
    const { receiver, autoMerges } = setup([merge, enqueue, replies], client, { mergeRoute: async (ctx) => (routed.push(ctx.pullRequest.id), 'queue') });
    await arm(autoMerges);
    await receiver.receive({ type: PULL_REQUEST_SYNC_JOB, clientKey: TENANT.clientKey, payload: sync() });
    expect(routed).toEqual([3]);
    expect(merge.runs).toHaveLength(0);
    expect(enqueue.runs).toHaveLength(1);
    expect(reads.pr).toBe(1);
    // Queued, not merged: the request is fulfilled by the hand-off, the queue lands the PR (its reason: the enqueue's message).
    expect(autoMerges.all().map((a) => [a.state, a.reason])).toEqual([['queued', 'mergeQueue.enqueue did it.']]);
    expect(await autoMerges.listPending(TENANT.clientKey)).toEqual([]);
    expect(replies.bodies).toEqual([expect.stringContaining('queued #3 for merging')]);
  });

  it('an uninstalled tenant is ignored', async () => {
    const { receiver } = setup([], unusedClient);
    expect(await receiver.receive({ type: PULL_REQUEST_SYNC_JOB, clientKey: 'gone', payload: sync() })).toEqual({ ignored: 'uninstalled' });
  });
});
