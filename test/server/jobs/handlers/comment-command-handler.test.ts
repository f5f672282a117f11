import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createExecutor,
  createMemoryAuditStore,
  createMemoryAutoMergeStore,
  createMemoryExecutionStore,
  createToolCatalog,
  defineTool,
  type AnyTool,
  type ClientResolver,
  type Plan,
  type Planner,
} from '../../../../server/agent';
import type { BitbucketClient } from '../../../../server/bitbucket';
import type { Tenant, TenantStore } from '../../../../server/host';
import { createJobHandlers, createMemoryJobQueue, createReceiver, PULL_REQUEST_SYNC_JOB, WEBHOOK_COMMENT_JOB } from '../../../../server/jobs';
import type { WebhookDelivery, WebhookDeliveryStore } from '../../../../server/storage';
import { alice, createRecordingTool, createTickingClock, silentLogger } from '../../agent/agent-fakes';

const TENANT: Tenant = {
  clientKey: 'ck-comment',
  installId: 'install-1',
  host: 'connect',
  appKey: 'bosun',
  baseUrl: 'https://bitbucket.example',
  baseApiUrl: 'https://api.bitbucket.example',
  workspaceUuid: '{00000000-0000-4000-8000-0000000000aa}',
  workspaceSlug: 'acme',
  workspaceName: 'Acme',
  installedByUuid: null,
  installedByAccountId: null,
  installedAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
};
const REPO_UUID = '{0000000a-0000-4000-8000-000000000001}';

function commentPayload(raw: string, user: Record<string, unknown> = { type: 'user', uuid: alice.userUuid, account_id: alice.accountId, display_name: 'Alice' }) {
  return {
    actor: user,
    repository: { type: 'repository', uuid: REPO_UUID, full_name: 'acme/web' },
    pullrequest: { id: 3, title: 'Add search', source: { branch: { name: 'feature/search' } }, destination: { branch: { name: 'main' } } },
    comment: { id: 41, content: { raw }, user },
  };
}

/** Stored deliveries and tenants that count their reads. */
function createStores(deliveries: WebhookDelivery[]) {
  const reads = { tenants: 0, deliveries: 0 };
  const tenants: TenantStore = {
    async get(clientKey) {
      reads.tenants += 1;
      return clientKey === TENANT.clientKey ? TENANT : null;
    },
    async getWithSecret() {
      throw new Error('not in these tests');
    },
    async ensure(): Promise<Tenant> {
      throw new Error('not in these tests');
    },
    async purge() {},
  };
  const store: WebhookDeliveryStore = {
    listRecent: async () => [],
    count: async () => deliveries.length,
    async getByRequestUuid(clientKey, requestUuid) {
      reads.deliveries += 1;
      return deliveries.find((d) => d.clientKey === clientKey && d.requestUuid === requestUuid) ?? null;
    },
  };
  return { tenants, deliveries: store, reads };
}

function delivery(requestUuid: string, raw: string, user?: Record<string, unknown>): WebhookDelivery {
  return {
    id: 1, clientKey: TENANT.clientKey, requestUuid, hookUuid: null, eventKey: 'pullrequest:comment_created', attempt: 1,
    repositoryUuid: REPO_UUID, pullrequestId: 3, payload: commentPayload(raw, user), receivedAt: new Date('2026-03-01T10:00:00Z'),
  };
}

/** Bosun's sticky comment: the bodies it was given, in order. */
function createReplies(): AnyTool & { bodies: string[] } {
  const bodies: string[] = [];
  const tool = defineTool({
    name: 'pullRequest.comment', description: 'sticky', input: z.object({ body: z.string() }).loose(), scopes: ['pullrequest'], actsAs: 'installation', risk: 'write',
    async run(_ctx, input) {
      bodies.push(input.body);
      return { summary: 'commented', links: [] };
    },
  });
  return { ...(tool as AnyTool), bodies };
}

/** A planner that plans one step of `tool` for every command. */
const planning = (tool: string): Planner => ({
  plan: async (): Promise<Plan> => ({ summary: `Run ${tool}`, source: 'command', steps: [{ tool, input: { repo: 'web' } }] }),
});

function setup(opts: { deliveries: WebhookDelivery[]; tools: AnyTool[]; planner: Planner; writers?: string[] }) {
  const { tenants, deliveries, reads } = createStores(opts.deliveries);
  const permissionQueries: string[] = [];
  const client = {
    workspaces: {
      listPermissions: async (_workspace: string, query: { q: string }) => {
        permissionQueries.push(query.q);
        return (opts.writers ?? []).map((uuid) => ({ user: { uuid }, permission: 'member' }));
      },
    },
  } as unknown as BitbucketClient;
  const made: string[] = [];
  const clients: ClientResolver = {
    forInstallation: async (clientKey) => {
      made.push(`installation:${clientKey}`);
      return client;
    },
    forUser: async (clientKey, userUuid) => {
      made.push(`user:${userUuid}`);
      return client;
    },
  };
  const now = createTickingClock();
  const replies = createReplies();
  const catalog = createToolCatalog([...opts.tools, replies]);
  const audit = createMemoryAuditStore();
  const queue = createMemoryJobQueue({ now });
  const executor = createExecutor({
    tools: catalog, clients, audit, executions: createMemoryExecutionStore(), logger: silentLogger, now,
    installationScopes: ['pullrequest:write', 'pullrequest', 'repository'], requireWriteAccess: true,
  });
  const handlers = createJobHandlers({
    tenants, deliveries, autoMerges: createMemoryAutoMergeStore(), audit, executor, tools: catalog, commandPlanner: opts.planner, clients, queue,
    links: { auditLog: () => 'https://bosun.example/audit', personalSettings: () => 'https://bosun.example/me' }, logger: silentLogger, now,
  });
  const receiver = createReceiver(handlers, { logger: silentLogger, now });
  const receive = (requestUuid: string) => receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: TENANT.clientKey, payload: { requestUuid } });
  return { receive, receiver, reads, made, replies, audit, queue, permissionQueries };
}

describe('webhook.comment through receive(): a thin handler over the trigger context and the executor', () => {
  it('a command loads its tenant and delivery once, makes one installation client, and the executor runs and audits it', async () => {
    const branch = createRecordingTool('branch.create', { risk: 'write', actsAs: 'installation', scopes: ['repository'] });
    const t = setup({ deliveries: [delivery('d-1', '/bosun merge')], tools: [branch], planner: planning('branch.create'), writers: [alice.userUuid] });
    const result = await t.receive('d-1');
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(branch.runs).toHaveLength(1);
    expect(t.reads).toEqual({ tenants: 1, deliveries: 1 });
    // The handler's replies and the executor's steps share the one memoised client of the trigger; the executor makes its own.
    expect(t.made.filter((m) => m.startsWith('installation:')).length).toBeLessThanOrEqual(2);
    expect(t.replies.bodies).toEqual([expect.stringContaining('working on'), expect.stringMatching(/✅[\s\S]*branch\.create did it\./)]);
    const entries = (await t.audit.list(TENANT.clientKey, {})).entries;
    expect(entries.map((e) => [e.outcome, e.trigger.kind, e.actor.userUuid, e.idempotencyKey])).toEqual([['succeeded', 'comment', alice.userUuid, 'comment:d-1']]);
  });

  it('write access is the executor’s precondition: the handler asks nothing itself, the refusal is the one audit entry and the reply', async () => {
    const branch = createRecordingTool('branch.create', { risk: 'write', actsAs: 'installation', scopes: ['repository'] });
    const t = setup({ deliveries: [delivery('d-2', '/bosun merge')], tools: [branch], planner: planning('branch.create'), writers: [] });
    expect(await t.receive('d-2')).toMatchObject({ outcome: 'refused' });
    expect(branch.runs).toHaveLength(0);
    expect(t.permissionQueries).toEqual([`user.uuid="${alice.userUuid}"`]);
    expect(t.replies.bodies.at(-1)).toContain('Only people with write access');
    expect((await t.audit.list(TENANT.clientKey, {})).entries.map((e) => e.outcome)).toEqual(['refused']);
  });

  it('a read-only plan needs no write access and asks no permissions', async () => {
    const status = createRecordingTool('pullRequest.status', { risk: 'read', actsAs: 'installation', scopes: ['pullrequest'] });
    const t = setup({ deliveries: [delivery('d-3', '/bosun status')], tools: [status], planner: planning('pullRequest.status'), writers: [] });
    expect(await t.receive('d-3')).toMatchObject({ outcome: 'succeeded' });
    expect(t.permissionQueries).toEqual([]);
  });

  it('follow-up work comes from the tool’s result, queued once even when the delivery is handled again', async () => {
    const arm = defineTool({
      name: 'pullRequest.mergeWhenGreen', description: 'arm', input: z.object({ repo: z.string() }), scopes: ['pullrequest:write'], actsAs: 'installation', risk: 'write',
      async run() {
        return { summary: 'Armed.', links: [], followUps: [{ job: 'pullrequest.sync' as const, payload: { repositoryUuid: REPO_UUID, pullRequestId: 3 } }] };
      },
    });
    // Named like any other tool: the follow-up is declared, not inferred from the name.
    const other = defineTool({ ...arm, name: 'pullRequest.somethingElse' });
    const t = setup({ deliveries: [delivery('d-4', '/bosun merge when green'), delivery('d-5', '/bosun status')], tools: [arm as AnyTool, other as AnyTool], planner: { plan: async (text) => ({ summary: 's', source: 'command', steps: [{ tool: text.includes('status') ? 'pullRequest.somethingElse' : 'pullRequest.mergeWhenGreen', input: { repo: 'web' } }] }) }, writers: [alice.userUuid] });
    await t.receive('d-4');
    await t.receive('d-4');
    await t.receive('d-5');
    const syncs = await t.queue.list(TENANT.clientKey, { type: PULL_REQUEST_SYNC_JOB, limit: 10 });
    expect(syncs.map((j) => [j.payload, j.dedupeKey]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      [{ repositoryUuid: REPO_UUID, pullRequestId: 3, commitHash: null, firstEvent: 'follow-up' }, 'follow-up:comment:d-4:0'],
      [{ repositoryUuid: REPO_UUID, pullRequestId: 3, commitHash: null, firstEvent: 'follow-up' }, 'follow-up:comment:d-5:0'],
    ]);
  });

  it('ignores comments that are not commands and Bosun’s own, without replying or auditing', async () => {
    const t = setup({
      deliveries: [delivery('d-6', 'looks good to me'), delivery('d-7', '/bosun help', { type: 'app_user', uuid: '{bosun}' })],
      tools: [], planner: planning('none'),
    });
    expect(await t.receive('d-6')).toEqual({ ignored: 'not a command' });
    expect(await t.receive('d-7')).toEqual({ ignored: 'own comment' });
    expect(t.replies.bodies).toEqual([]);
    expect((await t.audit.list(TENANT.clientKey, {})).entries).toEqual([]);
  });

  it('an uninstalled tenant is ignored; a delivery that is gone or unusable fails for good', async () => {
    const t = setup({ deliveries: [{ ...delivery('d-8', '/bosun help'), payload: { comment: 'no' } }], tools: [], planner: planning('none') });
    expect(await t.receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: 'gone', payload: { requestUuid: 'd-1' } })).toEqual({ ignored: 'uninstalled' });
    await expect(t.receive('missing')).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
    await expect(t.receive('d-8')).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
    await expect(t.receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: TENANT.clientKey, payload: {} })).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
  });
});
