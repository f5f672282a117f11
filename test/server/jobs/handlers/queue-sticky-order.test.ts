import { describe, expect, it } from 'vitest';
import { createMemoryAuditStore, type AnyTool, type AuditStore, type Planner } from '../../../../server/agent';
import { createMergeQueueEnqueue } from '../../../../server/agent/tools/merge-queue-enqueue';
import { pullRequestComment } from '../../../../server/agent/tools/pull-request-comment';
import type { BitbucketClient } from '../../../../server/bitbucket';
import { toQueueNoticeText } from '../../../../server/create-merge-queue-services';
import { WEBHOOK_COMMENT_JOB } from '../../../../server/jobs';
import { createMemoryMergeQueueStore, createMergeQueueDriver, type QueueKey } from '../../../../server/merge-queue';
import { createDriverQueuePort } from '../../../helpers/merge-queue-driver-port';
import { alice, createTickingClock, silentLogger } from '../../agent/agent-fakes';
import { createHandlerHarness, toCommentJobPayload, toTestTenant } from './handler-harness';

/**
 * The sticky comment's writers finish in any order: `/bosun queue`'s reply is written after the
 * executor's audit entry, and the queue's own notice of a later event (the ejection after a new
 * commit) may be written in between. Reproduced deterministically: the later event is applied
 * while the audit entry is written, i.e. after the enqueue and before the reply.
 */
const TENANT = toTestTenant('ck-order');
const REPO_UUID = '{0000000a-0000-4000-8000-0000000000b1}';
const KEY: QueueKey = { clientKey: TENANT.clientKey, repository: 'acme/web', branch: 'main' };

interface FakeComment { id: number; content: { raw: string }; deleted: boolean }

/** The PR and its comments as Bitbucket keeps them, with every write recorded. */
function createFakeBitbucket() {
  const comments: FakeComment[] = [];
  const writes: string[] = [];
  let nextId = 100;
  const client = {
    workspaces: { listPermissions: async () => [{ user: { uuid: alice.userUuid }, permission: 'member' }] },
    statuses: { listForCommit: async () => [] },
    pullRequests: {
      get: async (_w: string, _r: string, id: number) => ({
        id, state: 'OPEN', title: 'Add search', source: { branch: { name: 'feature/search' }, commit: { hash: 'aaaaaaaaaaaa' } },
        destination: { branch: { name: 'main' }, repository: { full_name: 'acme/web', uuid: REPO_UUID } }, links: {},
      }),
      listComments: async () => comments.map((c) => structuredClone(c)),
      createComment: async (_w: string, _r: string, _id: number, body: { content: { raw: string } }) => {
        const c = { id: nextId++, content: { raw: body.content.raw }, deleted: false };
        comments.push(c);
        writes.push(body.content.raw);
        return { ...c, links: {} };
      },
      updateComment: async (_w: string, _r: string, _id: number, commentId: number, body: { content: { raw: string } }) => {
        const c = comments.find((x) => x.id === commentId)!;
        c.content.raw = body.content.raw;
        writes.push(body.content.raw);
        return { ...c, links: {} };
      },
    },
  } as unknown as BitbucketClient;
  const sticky = () => comments.filter((c) => c.content.raw.includes('<!-- bosun:sticky:bosun -->'));
  return { client, comments, writes, sticky };
}

function setup() {
  const bitbucket = createFakeBitbucket();
  const now = createTickingClock();
  const store = createMemoryMergeQueueStore();
  const toolCtx = { tenant: { clientKey: TENANT.clientKey, workspace: 'acme' }, actor: { kind: 'installation' as const, userUuid: null, accountId: null }, client: bitbucket.client, logger: silentLogger, now };
  // The queue's notices, as the root writes them: the sticky comment, stamped with the transition's time.
  const driver = createMergeQueueDriver({
    store, now, defaults: () => ({ frozen: true }),
    repositoryFor: async () => {
      throw new Error('a frozen queue builds nothing');
    },
    notify: async (key, effect, at) => {
      await pullRequestComment.run(toolCtx, { workspace: 'acme', repo: 'web', pullRequestId: effect.prId, body: toQueueNoticeText(key, effect, null), stickyKey: 'bosun', asOf: at.toISOString() });
    },
  });
  const port = createDriverQueuePort(
    { driver, store, now },
    { loadLandingPolicy: async () => ({ strategy: 'merge_commit' }) },
  );
  // While the executor writes its audit entry (after the enqueue, before the reply), the PR gets a new commit.
  const inner = createMemoryAuditStore();
  let between: (() => Promise<void>) | null = null;
  const audit: AuditStore = {
    ...inner,
    async record(entry) {
      await between?.();
      return inner.record(entry);
    },
  };
  const planner: Planner = { plan: async () => ({ summary: 'Queue #3', source: 'command', steps: [{ tool: 'mergeQueue.enqueue', input: { repo: 'web', pullRequestId: 3 } }] }) };
  const { receiver } = createHandlerHarness({
    tenants: [TENANT], tools: [pullRequestComment as AnyTool, createMergeQueueEnqueue({ mergeQueue: port }) as AnyTool], client: bitbucket.client,
    planner, audit, requireWriteAccess: true, now,
  });
  return {
    bitbucket, store,
    // The job as the intake writes it: the comment parsed at the edge travels in it.
    receive: () => receiver.receive({ type: WEBHOOK_COMMENT_JOB, clientKey: TENANT.clientKey, payload: toCommentJobPayload('d-queue', { raw: '/bosun queue', repositoryUuid: REPO_UUID }) }),
    setBetween: (f: () => Promise<void>) => { between = f; },
    pushed: () => driver.handle(KEY, { type: 'pr-updated', prId: 3, sourceCommit: 'bbbbbbbbbbbb' }),
  };
}

describe('the sticky comment of a queued PR is written in the order of its events', () => {
  it("/bosun queue's late reply does not overwrite the ejection notice of a commit pushed after the enqueue", async () => {
    const t = setup();
    t.setBetween(async () => {
      await t.pushed();
    });
    await t.receive();
    expect((await t.store.load(KEY))!.entries.map((e) => [e.prId, e.state])).toEqual([[3, 'ejected']]);
    const sticky = t.bitbucket.sticky();
    expect(sticky).toHaveLength(1);
    // The ejection was written, then the reply (about the earlier enqueue) left it alone.
    expect(t.bitbucket.writes.filter((w) => w.includes('Taken out of the queue'))).toHaveLength(1);
    expect(sticky[0]!.content.raw).toContain('Taken out of the queue: A new commit (bbbbbbbbbbbb)');
    expect(sticky[0]!.content.raw).not.toContain('Queued #3');
  });

  it('without a later event the reply replaces the queue’s notice of the same enqueue (equal stamps: the later writer wins)', async () => {
    const t = setup();
    await t.receive();
    const order = t.bitbucket.writes.map((w) => (w.includes('working on') ? 'ack' : w.includes('**Bosun merge queue**') ? 'notice' : w.includes('Queued #3') ? 'reply' : 'other'));
    expect(order).toEqual(['ack', 'notice', 'reply']);
    expect(t.bitbucket.sticky()[0]!.content.raw).toContain('Queued #3: position 1 of 1 in the main queue');
  });

  it('an ejection that happens after the reply replaces it (a later event)', async () => {
    const t = setup();
    await t.receive();
    await t.pushed();
    expect(t.bitbucket.sticky()[0]!.content.raw).toContain('Taken out of the queue');
  });
});

describe('pullRequest.comment with a sticky key orders writes by asOf', () => {
  const write = (client: BitbucketClient, body: string, asOf?: string) =>
    pullRequestComment.run(
      { tenant: { clientKey: 'ck', workspace: 'acme' }, actor: { kind: 'installation', userUuid: null, accountId: null }, client, logger: silentLogger, now: () => new Date('2026-03-01T12:00:00.000Z') },
      { workspace: 'acme', repo: 'web', pullRequestId: 3, body, stickyKey: 'bosun', ...(asOf ? { asOf } : {}) },
    );

  it('keeps a body about a later event, replaces one about an earlier or the same one, and stamps a write without asOf with now', async () => {
    const b = createFakeBitbucket();
    await write(b.client, 'ejected', '2026-03-01T10:00:02.000Z');
    const kept = await write(b.client, 'queued', '2026-03-01T10:00:01.000Z');
    expect(kept.data).toMatchObject({ kept: true });
    expect(b.sticky()[0]!.content.raw).toMatch(/^ejected\n/);
    await write(b.client, 'ejected again', '2026-03-01T10:00:02.000Z');
    expect(b.sticky()[0]!.content.raw).toMatch(/^ejected again\n/);
    await write(b.client, 'help');
    expect(b.sticky()[0]!.content.raw).toContain('<!-- bosun:as-of:2026-03-01T12:00:00.000Z -->');
    expect(b.sticky()).toHaveLength(1);
  });

  it('a sticky comment written before stamps existed is replaced', async () => {
    const b = createFakeBitbucket();
    await b.client.pullRequests.createComment('acme', 'web', 3, { content: { raw: 'old\n\n<!-- bosun:sticky:bosun -->' } });
    await write(b.client, 'new', '2026-03-01T10:00:00.000Z');
    expect(b.sticky()[0]!.content.raw).toMatch(/^new\n/);
  });

  it('refuses an asOf that is not a time', async () => {
    const b = createFakeBitbucket();
    expect(pullRequestComment.input.safeParse({ repo: 'web', pullRequestId: 3, body: 'x', stickyKey: 'bosun', asOf: 'yesterday' }).success).toBe(false);
    expect(b.writes).toEqual([]);
  });
});
