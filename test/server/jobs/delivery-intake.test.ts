import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COALESCE_WINDOW_MS, createDeliveryIntake, createSqlJobQueue, PULL_REQUEST_SYNC_JOB, WEBHOOK_COMMENT_JOB, type DeliveryIntake, type IntakeInput } from '../../../server/jobs';
import { toCiFailureCommentJobs } from '../../../server/ci-failure-comment-jobs';
import { toPullRequestRuleJobs, toPushRuleJobs } from '../../../server/create-rule-automations';
import { createLogger } from '../../../server/log';
import { createWebhookDeliveryStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { toCommentJobPayload } from './handlers/handler-harness';
import { openTestDatabase, type OpenedTestDatabase } from './open-test-database';

describe.each(testDatabaseKinds())('webhook delivery intake (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  let intake: DeliveryIntake;
  // Mid-window, so a burst in one test stays in one coalescing window.
  const now = new Date(Math.floor(Date.now() / COALESCE_WINDOW_MS) * COALESCE_WINDOW_MS + 10);
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    // The sources create-services registers: the rule automations' and the failed-builds comment's.
    intake = createDeliveryIntake({ db: opened.db, now: () => now, logger: createLogger({ level: 'silent' }), deliveryJobs: [toPullRequestRuleJobs, toPushRuleJobs, toCiFailureCommentJobs] });
  });
  afterAll(async () => {
    await intake.close();
    await opened.close();
  });

  const repositoryUuid = '{11111111-1111-4111-8111-111111111111}';
  // A comment as the edge parsed it (the web router hands the intake parseWebhookData's comment).
  const parsedComment = toCommentJobPayload('unused', { raw: '/bosun status', repositoryUuid, pullRequestId: 7 }).event;
  const delivery = (over: Partial<IntakeInput> = {}): IntakeInput => ({
    clientKey: 'tenant-a', requestUuid: randomUUID(), hookUuid: null, eventKey: 'pullrequest:approved', attempt: 1,
    repositoryUuid, pullrequestId: 7, commitHash: null, payload: { n: 1 }, receivedAt: now,
    comment: over.eventKey === 'pullrequest:comment_created' ? parsedComment : null, ...over,
  });
  const jobs = (clientKey: string) => createSqlJobQueue(opened.db).list(clientKey, { limit: 100, offset: 0 });

  it('stores a delivery once and answers redeliveries, even inside one batch, as duplicates', async () => {
    const first = delivery({ clientKey: 'tenant-dup' });
    const results = await Promise.all([intake.accept(first), intake.accept({ ...first, attempt: 2 }), intake.accept({ ...first, attempt: 3 })]);
    expect(results.map((r) => r.duplicate)).toEqual([false, true, true]);
    expect((await intake.accept({ ...first, attempt: 4 })).duplicate).toBe(true);
    expect(await createWebhookDeliveryStore(opened.db).count('tenant-dup')).toBe(1);
  });

  it('coalesces a burst of events about one PR into one sync job, and gives each comment its own job', async () => {
    const burst = Array.from({ length: 25 }, (_, i) => delivery({ clientKey: 'tenant-burst', eventKey: i % 2 ? 'pullrequest:updated' : 'pullrequest:approved' }));
    const comments = Array.from({ length: 3 }, () => delivery({ clientKey: 'tenant-burst', eventKey: 'pullrequest:comment_created' }));
    await Promise.all([...burst, ...comments].map((d) => intake.accept(d)));
    const all = await jobs('tenant-burst');
    expect(all.filter((j) => j.type === PULL_REQUEST_SYNC_JOB)).toHaveLength(1);
    const commentJobs = all.filter((j) => j.type === WEBHOOK_COMMENT_JOB);
    expect(commentJobs).toHaveLength(3);
    // Each carries its delivery id and the comment as the edge parsed it: the handler re-reads nothing.
    for (const job of commentJobs) expect(job.payload).toEqual({ requestUuid: expect.any(String), event: parsedComment });
    const sync = all.find((j) => j.type === PULL_REQUEST_SYNC_JOB)!;
    expect(sync.payload).toMatchObject({ pullRequestId: 7 });
    expect(sync.runAt.getTime()).toBeGreaterThan(now.getTime());
    expect(await createWebhookDeliveryStore(opened.db).count('tenant-burst')).toBe(28);
  });

  it("wakes this process's workers once a batch with a job due now has committed (a comment), not for a coalesced job that waits its window", async () => {
    const bare = createDeliveryIntake({ db: opened.db, now: () => now, logger: createLogger({ level: 'silent' }) });
    const queue = createSqlJobQueue(opened.db);
    const seen: number[] = [];
    const unsubscribe = queue.onDue!(async () => {
      // Raised after the commit: the job is already there for the worker to claim.
      seen.push((await jobs('tenant-wake')).filter((j) => j.type === WEBHOOK_COMMENT_JOB).length);
    });
    try {
      await bare.accept(delivery({ clientKey: 'tenant-wake', eventKey: 'pullrequest:approved' }));
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([]);
      await bare.accept(delivery({ clientKey: 'tenant-wake', eventKey: 'pullrequest:comment_created' }));
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([1]);
    } finally {
      unsubscribe();
      await bare.close();
    }
  });

  it('keeps tenants apart: the same X-Request-UUID under two tenants is two deliveries', async () => {
    const uuid = randomUUID();
    const [a, b] = await Promise.all([intake.accept(delivery({ clientKey: 'tenant-x', requestUuid: uuid })), intake.accept(delivery({ clientKey: 'tenant-y', requestUuid: uuid }))]);
    expect([a.duplicate, b.duplicate]).toEqual([false, false]);
  });

  it('makes no job for events nobody acts on', async () => {
    await intake.accept(delivery({ clientKey: 'tenant-fork', eventKey: 'repo:fork', pullrequestId: null }));
    expect(await jobs('tenant-fork')).toHaveLength(0);
  });

  it('a push makes one job for the automation rules (bot pull requests), in the same transaction', async () => {
    await intake.accept(delivery({ clientKey: 'tenant-push', eventKey: 'repo:push', pullrequestId: null }));
    expect((await jobs('tenant-push')).map((j) => j.type)).toEqual(['rules.push']);
  });

  it('writes the registered sources’ jobs with the delivery; an intake without sources writes only the delivery’s own job', async () => {
    const status = delivery({ clientKey: 'tenant-sources', eventKey: 'repo:commit_status_updated', pullrequestId: null, commitHash: 'a1b2c3d4e5f6' });
    const updated = delivery({ clientKey: 'tenant-sources', eventKey: 'pullrequest:updated' });
    await Promise.all([intake.accept(status), intake.accept(updated)]);
    // Each event's own sync (the PR's, the commit's), plus the rules' job and the failed-builds comment's.
    expect((await jobs('tenant-sources')).map((j) => j.type).sort()).toEqual(['ci.failureComment', 'pullrequest.sync', 'pullrequest.sync', 'rules.pullRequest']);
    const bare = createDeliveryIntake({ db: opened.db, now: () => now, logger: createLogger({ level: 'silent' }) });
    await Promise.all([bare.accept({ ...status, clientKey: 'tenant-bare' }), bare.accept({ ...updated, clientKey: 'tenant-bare' })]);
    await bare.close();
    expect((await jobs('tenant-bare')).map((j) => j.type)).toEqual(['pullrequest.sync', 'pullrequest.sync']);
  });

  it('gives the merge queue a job per status or PR event only for tenants that have a queue', async () => {
    const status = (clientKey: string) => delivery({ clientKey, eventKey: 'repo:commit_status_updated', pullrequestId: null, commitHash: 'a1b2c3d4e5f6' });
    const updated = (clientKey: string) => delivery({ clientKey, eventKey: 'pullrequest:updated' });
    await Promise.all([intake.accept(status('tenant-noqueue')), intake.accept(updated('tenant-noqueue'))]);
    expect((await jobs('tenant-noqueue')).map((j) => j.type).filter((t) => t.startsWith('merge-queue.'))).toEqual([]);
    // A queue committed by any instance is seen by the next batch.
    await opened.db.sequelize.query(
      `INSERT INTO merge_queues (client_key, repository, branch, version, state, updated_at) VALUES ('tenant-queue', '{r}', 'main', 1, '{}', :now)`,
      { replacements: { now } },
    );
    await Promise.all([intake.accept(status('tenant-queue')), intake.accept(status('tenant-queue')), intake.accept(updated('tenant-queue'))]);
    const types = (await jobs('tenant-queue')).map((j) => j.type).filter((t) => t.startsWith('merge-queue.')).sort();
    expect(types).toEqual(['merge-queue.pullrequest', 'merge-queue.status', 'merge-queue.status']);
  });

  it('a coalesced job comes from the first new delivery of its batch, not from a redelivery ahead of it', async () => {
    const earlier = delivery({ clientKey: 'tenant-redelivered', eventKey: 'pullrequest:approved' });
    await intake.accept(earlier);
    await opened.db.sequelize.query(`DELETE FROM jobs WHERE client_key = 'tenant-redelivered'`);
    // One batch: the redelivery first (stored before: no job of its own), then a new event about the same PR.
    const fresh = delivery({ clientKey: 'tenant-redelivered', eventKey: 'pullrequest:updated' });
    const results = await Promise.all([intake.accept({ ...earlier, attempt: 2 }), intake.accept(fresh)]);
    expect(results.map((r) => r.duplicate)).toEqual([true, false]);
    const sync = (await jobs('tenant-redelivered')).filter((j) => j.type === PULL_REQUEST_SYNC_JOB);
    expect(sync.map((j) => j.payload)).toEqual([expect.objectContaining({ pullRequestId: 7, firstEvent: 'pullrequest:updated' })]);
  });

  it('stores NULL columns as NULL and a delivery of an uninstalled tenant not at all (no job either)', async () => {
    const bare = delivery({ clientKey: 'tenant-nulls', eventKey: 'repo:push', hookUuid: null, repositoryUuid: null, pullrequestId: null });
    expect((await intake.accept(bare)).duplicate).toBe(false);
    const stored = await createWebhookDeliveryStore(opened.db).getByRequestUuid('tenant-nulls', bare.requestUuid);
    expect(stored).toMatchObject({ hookUuid: null, repositoryUuid: null, pullrequestId: null, eventKey: 'repo:push', attempt: 1 });
    // The storage guard (a trigger on PostgreSQL) drops rows of a purged tenant: nothing stored, answered as already stored.
    await opened.db.sequelize.query(`INSERT INTO uninstalled_tenants (client_key, uninstalled_at) VALUES ('tenant-gone', :now)`, { replacements: { now } });
    const gone = delivery({ clientKey: 'tenant-gone', eventKey: 'pullrequest:comment_created' });
    expect((await intake.accept(gone)).duplicate).toBe(true);
    expect(await createWebhookDeliveryStore(opened.db).count('tenant-gone')).toBe(0);
    expect(await jobs('tenant-gone')).toEqual([]);
  });

  it('stores the payload text the edge received as is, else the payload serialised', async () => {
    const received = delivery({ clientKey: 'tenant-text', payload: { n: 2 }, payloadJson: '{ "n" : 2 }' });
    const serialised = delivery({ clientKey: 'tenant-text', payload: { n: 3 } });
    await Promise.all([intake.accept(received), intake.accept(serialised)]);
    const rows = await opened.db.sequelize.query<{ request_uuid: string; payload: string }>(`SELECT request_uuid, payload FROM webhook_deliveries WHERE client_key = 'tenant-text'`, { type: QueryTypes.SELECT });
    expect(Object.fromEntries(rows.map((r) => [r.request_uuid, r.payload]))).toEqual({ [received.requestUuid]: '{ "n" : 2 }', [serialised.requestUuid]: '{"n":3}' });
  });

  it('keeps every payload of one batch as its exact text, in its own row: escapes, unicode, nesting and spacing', async () => {
    const texts = [
      '{"s":"a \\"quoted\\" \\\\ back\\\\slash, a \\u0000 escape and \\ud83d\\ude00"}',
      '{ "emoji" : "😀 ünïcödé — 中文", "nested" : [ [ ], { "a" : [1, 2.50, -0e3] } ] }',
      '{"comma":",","brackets":"[]{}","newline":"line\\nnext\\ttab"}',
      '[{"not":"an object"}, null, true]',
      '{}',
    ];
    const batch = texts.map((payloadJson) => delivery({ clientKey: 'tenant-batch-text', payload: JSON.parse(payloadJson) as unknown, payloadJson }));
    await Promise.all(batch.map((d) => intake.accept(d)));
    const rows = await opened.db.sequelize.query<{ request_uuid: string; payload: string }>(`SELECT request_uuid, payload FROM webhook_deliveries WHERE client_key = 'tenant-batch-text'`, { type: QueryTypes.SELECT });
    expect(Object.fromEntries(rows.map((r) => [r.request_uuid, r.payload]))).toEqual(Object.fromEntries(batch.map((d) => [d.requestUuid, d.payloadJson])));
  });

  it('writes one job row per dedupe key of a burst, and the dates as the models write them', async () => {
    const burst = Array.from({ length: 40 }, () => delivery({ clientKey: 'tenant-rows', eventKey: 'pullrequest:approved' }));
    await Promise.all(burst.map((d) => intake.accept(d)));
    const all = await jobs('tenant-rows');
    expect(all.map((j) => j.type).sort()).toEqual(['pullrequest.sync', 'rules.pullRequest']);
    const [row] = await opened.db.sequelize.query<{ run_at: unknown }>(`SELECT run_at FROM jobs WHERE client_key = 'tenant-rows' AND type = 'pullrequest.sync'`, { type: QueryTypes.SELECT });
    const model = await opened.db.models.Job.findOne({ where: { clientKey: 'tenant-rows', type: 'pullrequest.sync' } });
    expect(new Date(model!.runAt).getTime()).toBe(all.find((j) => j.type === 'pullrequest.sync')!.runAt.getTime());
    if (kind === 'sqlite') expect(row!.run_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+00:00$/);
    const stored = await createWebhookDeliveryStore(opened.db).getByRequestUuid('tenant-rows', burst[0]!.requestUuid);
    expect(stored?.receivedAt.getTime()).toBe(now.getTime());
    expect(stored?.payload).toEqual({ n: 1 });
  });
});
