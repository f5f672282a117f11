import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type AnyTool, type Plan, type Planner } from '../../../../server/agent';
import type { BitbucketClient } from '../../../../server/bitbucket';
import { PULL_REQUEST_SYNC_JOB, WEBHOOK_COMMENT_JOB } from '../../../../server/jobs';
import { alice, createRecordingTool } from '../../agent/agent-fakes';
import { createHandlerHarness, toCommentJobPayload, toTestTenant } from './handler-harness';

const TENANT = toTestTenant('ck-comment');
const REPO_UUID = '{0000000a-0000-4000-8000-000000000001}';

/** A comment job as the intake writes it (the edge parsed the event). */
const comment = (requestUuid: string, raw: string, user?: Record<string, unknown>) => ({ requestUuid, raw, ...(user ? { user } : {}) });
type CommentSpec = ReturnType<typeof comment>;

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

function setup(opts: { comments: CommentSpec[]; tools: AnyTool[]; planner: Planner; writers?: string[] }) {
  const permissionQueries: string[] = [];
  const client = {
    workspaces: {
      listPermissions: async (_workspace: string, query: { q: string }) => {
        permissionQueries.push(query.q);
        return (opts.writers ?? []).map((uuid) => ({ user: { uuid }, permission: 'member' }));
      },
    },
  } as unknown as BitbucketClient;
  const replies = createReplies();
  const h = createHandlerHarness({ tenants: [TENANT], tools: [...opts.tools, replies], client, planner: opts.planner, requireWriteAccess: true });
  const jobs = new Map(opts.comments.map((c) => [c.requestUuid, toCommentJobPayload(c.requestUuid, { raw: c.raw, repositoryUuid: REPO_UUID, ...(c.user ? { user: c.user } : {}) })]));
  const receive = (requestUuid: string) => h.receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: TENANT.clientKey, payload: jobs.get(requestUuid) ?? { requestUuid } });
  const reads = () => ({ tenants: h.tenants.reads });
  return { receive, receiver: h.receiver, reads, made: h.made, replies, audit: h.audit, queue: h.queue, permissionQueries };
}

describe('webhook.comment through receive(): a thin handler over the trigger context and the executor', () => {
  it('a command loads its tenant once, reads no stored delivery (the job carries the edge-parsed event), and the executor runs and audits it', async () => {
    const branch = createRecordingTool('branch.create', { risk: 'write', actsAs: 'installation', scopes: ['repository'] });
    const t = setup({ comments: [comment('d-1', '/bosun merge')], tools: [branch], planner: planning('branch.create'), writers: [alice.userUuid] });
    const result = await t.receive('d-1');
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(branch.runs).toHaveLength(1);
    expect(t.reads()).toEqual({ tenants: 1 });
    // The handler's replies and the executor's steps share the one memoised client of the trigger; the executor makes its own.
    expect(t.made.filter((m) => m.startsWith('installation:')).length).toBeLessThanOrEqual(2);
    expect(t.replies.bodies).toEqual([expect.stringContaining('working on'), expect.stringMatching(/✅[\s\S]*branch\.create did it\./)]);
    const entries = (await t.audit.list(TENANT.clientKey, {})).entries;
    expect(entries.map((e) => [e.outcome, e.trigger.kind, e.actor.userUuid, e.idempotencyKey])).toEqual([['succeeded', 'comment', alice.userUuid, 'comment:d-1']]);
  });

  it('write access is the executor’s precondition: the handler asks nothing itself, the refusal is the one audit entry and the reply', async () => {
    const branch = createRecordingTool('branch.create', { risk: 'write', actsAs: 'installation', scopes: ['repository'] });
    const t = setup({ comments: [comment('d-2', '/bosun merge')], tools: [branch], planner: planning('branch.create'), writers: [] });
    expect(await t.receive('d-2')).toMatchObject({ outcome: 'refused' });
    expect(branch.runs).toHaveLength(0);
    expect(t.permissionQueries).toEqual([`user.uuid="${alice.userUuid}"`]);
    expect(t.replies.bodies.at(-1)).toContain('Only people with write access');
    expect((await t.audit.list(TENANT.clientKey, {})).entries.map((e) => e.outcome)).toEqual(['refused']);
  });

  it('a read-only plan needs no write access and asks no permissions', async () => {
    const status = createRecordingTool('pullRequest.status', { risk: 'read', actsAs: 'installation', scopes: ['pullrequest'] });
    const t = setup({ comments: [comment('d-3', '/bosun status')], tools: [status], planner: planning('pullRequest.status'), writers: [] });
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
    const t = setup({ comments: [comment('d-4', '/bosun merge when green'), comment('d-5', '/bosun status')], tools: [arm as AnyTool, other as AnyTool], planner: { plan: async (text) => ({ summary: 's', source: 'command', steps: [{ tool: text.includes('status') ? 'pullRequest.somethingElse' : 'pullRequest.mergeWhenGreen', input: { repo: 'web' } }] }) }, writers: [alice.userUuid] });
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
      comments: [comment('d-6', 'looks good to me'), comment('d-7', '/bosun help', { type: 'app_user', uuid: '{bosun}' })],
      tools: [], planner: planning('none'),
    });
    expect(await t.receive('d-6')).toEqual({ ignored: 'not a command' });
    expect(await t.receive('d-7')).toEqual({ ignored: 'own comment' });
    expect(t.replies.bodies).toEqual([]);
    expect((await t.audit.list(TENANT.clientKey, {})).entries).toEqual([]);
  });

  it('an uninstalled tenant is ignored; a job that carries no parsed event fails for good (the handlers have no stored delivery to re-read)', async () => {
    const t = setup({ comments: [], tools: [], planner: planning('none') });
    expect(await t.receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: 'gone', payload: toCommentJobPayload('d-1', { raw: '/bosun help', repositoryUuid: REPO_UUID }) })).toEqual({ ignored: 'uninstalled' });
    // A job written before the event travelled with it (the delivery id only), or not an event at all.
    await expect(t.receive('d-8')).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
    await expect(t.receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: TENANT.clientKey, payload: { requestUuid: 'd-9', event: { comment: 'no' } } })).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
    await expect(t.receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: TENANT.clientKey, payload: {} })).rejects.toMatchObject({ code: 'JOB_PERMANENT' });
  });

  it('the planner gets the PR as the edge parsed it: title, branches and the people on it', async () => {
    const seen: unknown[] = [];
    const t = setup({ comments: [comment('d-10', '/bosun status')], tools: [createRecordingTool('pullRequest.status', { risk: 'read', actsAs: 'installation', scopes: ['pullrequest'] })], planner: { plan: async (_text, ctx) => (seen.push(ctx.facts), { summary: 's', source: 'command', steps: [{ tool: 'pullRequest.status', input: { repo: 'web' } }] }) } });
    await t.receive('d-10');
    expect(seen).toEqual([{ pullRequest: { title: 'Add search', sourceBranch: 'feature/search', destinationBranch: 'main' }, people: [
      { nickname: null, displayName: 'Alice', uuid: alice.userUuid },
      { nickname: 'bob', displayName: 'Bob', uuid: '{b0b00000-0000-4000-8000-000000000002}' },
    ] }]);
  });
});
