import { afterEach, describe, expect, it } from 'vitest';
import { applyWebhookEvent, loadPrPanelView, loadRepoDashboardView, type MirrorSource } from '../../../server/mirror';
import { findBudgetDeferral } from '../../../server/budget';
import { createSqlBudgetStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { type MirrorHarness, purgeTenant, startMirrorHarness } from './mirror-harness';

/** What Bitbucket says now, for comparing with what the mirror says. */
function toComparable(pr: { id: number; state: string; title: string; participants?: Array<{ user: { uuid?: string }; approved: boolean; state?: string | null }> }) {
  return {
    id: pr.id, state: pr.state, title: pr.title,
    participants: (pr.participants ?? []).map((p) => ({ user: p.user.uuid, approved: p.approved, state: p.state ?? null })).sort((a, b) => String(a.user).localeCompare(String(b.user))),
  };
}

const webhooksOf = (m: MirrorHarness, event: string) =>
  m.h.app.received.filter((r) => r.path === '/webhook' && r.body.event === event).map((r) => ({ event, data: r.body.data }));

describe.each(testDatabaseKinds())('workspace mirror (%s)', (kind) => {
  let m: MirrorHarness;
  afterEach(async () => m?.close());

  const bitbucketPr = async (repo: string, id: number) => (await m.h.api('GET', `/2.0/repositories/acme/${repo}/pullrequests/${id}`)).json;
  const mirroredPr = async (repoUuid: string, id: number) => {
    const row = await m.store.getPullRequest(m.clientKey, repoUuid, id);
    return row ? (JSON.parse(row.dataJson) as Parameters<typeof toComparable>[0]) : null;
  };
  const repoUuid = (slug: string) => m.h.sandbox.state.repositories.find((r) => r.slug === slug)!.uuid;

  it('initial sync: every repository, every open pull request with participants, one request per repository and page', async () => {
    m = await startMirrorHarness(kind);
    const progress = await m.sync.initialSync(m.clientKey, m.source());
    const credential = `app:${m.clientKey}`;
    // 1 repository page + 1 pull request list per repository (3).
    expect(m.h.sandbox.requests.get(credential).total).toBe(4);
    expect(progress).toMatchObject({ state: 'done', repositoriesTotal: 3, repositoriesDone: 3 });
    expect(progress.statusesPending).toBeGreaterThan(0);
    const open = m.h.sandbox.state.pullRequests.filter((p) => p.state === 'OPEN');
    for (const p of open) {
      const repo = m.h.sandbox.state.repositories.find((r) => r.uuid === p.repoUuid)!;
      expect(toComparable((await mirroredPr(p.repoUuid, p.id))!)).toEqual(toComparable(await bitbucketPr(repo.slug, p.id)));
    }
    expect(await m.store.loadProgress(m.clientKey)).toMatchObject({ state: 'done', repositoriesDone: 3 });
    // The budget counted every request in the sync lane.
    expect((await m.budget.load(m.clientKey)).credentials[0]?.byLane.sync).toBe(4);
  });

  it('webhook before sync and events out of order converge on what Bitbucket holds', async () => {
    m = await startMirrorHarness(kind);
    const ref = { workspace: 'acme', repo: 'web', id: 2 };
    m.h.sandbox.actions.approve(ref, 'bob');
    m.h.sandbox.actions.approve(ref, 'dave');
    await m.h.sandbox.idle();
    const events = webhooksOf(m, 'pullrequest:approved');
    expect(events).toHaveLength(2);
    // Newest first, then the older one again: the older must not win.
    for (const e of [events[1]!, events[0]!, events[1]!]) {
      await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: e.event, data: e.data, at: new Date() });
    }
    // The sync reads the same state afterwards; nothing goes back.
    await m.sync.initialSync(m.clientKey, m.source());
    expect(toComparable((await mirroredPr(repoUuid('web'), 2))!)).toEqual(toComparable(await bitbucketPr('web', 2)));
    // An event older than the mirror's copy is ignored even after the sync.
    await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: events[0]!.event, data: events[0]!.data, at: new Date() });
    expect(toComparable((await mirroredPr(repoUuid('web'), 2))!)).toEqual(toComparable(await bitbucketPr('web', 2)));
    expect((await mirroredPr(repoUuid('web'), 2))!.participants!.filter((p) => p.approved)).toHaveLength(2);
  });

  it('a webhook adds a repository the mirror has not met and marks its last event; a synced one keeps its data', async () => {
    m = await startMirrorHarness(kind);
    const ref = { workspace: 'acme', repo: 'web', id: 2 };
    m.h.sandbox.actions.approve(ref, 'bob');
    await m.h.sandbox.idle();
    const [event] = webhooksOf(m, 'pullrequest:approved');
    const first = new Date('2026-12-01T10:00:00.000Z');
    await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: event!.event, data: event!.data, at: first });
    const added = await m.store.getRepository(m.clientKey, repoUuid('web'));
    expect(added).toMatchObject({ uuid: repoUuid('web'), fullName: 'acme/web', pullRequestsSyncedAt: null });
    expect(added?.lastEventAt?.toISOString()).toBe(first.toISOString());
    await m.sync.initialSync(m.clientKey, m.source());
    const synced = await m.store.getRepository(m.clientKey, repoUuid('web'));
    const later = new Date('2026-12-01T11:00:00.000Z');
    await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: event!.event, data: event!.data, at: later });
    const after = await m.store.getRepository(m.clientKey, repoUuid('web'));
    expect(after?.dataJson).toBe(synced?.dataJson);
    expect(after?.lastEventAt?.toISOString()).toBe(later.toISOString());
    expect((await m.store.listRepositories(m.clientKey)).filter((r) => r.uuid === repoUuid('web'))).toHaveLength(1);
  });

  it('a dropped webhook is repaired by the sweep', async () => {
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    m.h.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 1 }, 'dave');
    await m.h.sandbox.idle();
    // The webhook reached the app but never the mirror.
    expect(toComparable((await mirroredPr(repoUuid('web'), 1))!)).not.toEqual(toComparable(await bitbucketPr('web', 1)));
    const swept = await m.sync.sweep(m.clientKey, m.source(), { maxRepositories: 3 });
    expect(swept.repositories).toBe(3);
    expect(toComparable((await mirroredPr(repoUuid('web'), 1))!)).toEqual(toComparable(await bitbucketPr('web', 1)));
    expect((await m.store.loadProgress(m.clientKey))?.lastSweepAt).not.toBeNull();
  });

  it('a commit status webhook lands on its commit; the backfill lists the rest', async () => {
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    const pr = m.h.sandbox.state.pullRequests.find((p) => p.repoUuid === repoUuid('web') && p.id === 1)!;
    const posted = await m.h.api('POST', `/2.0/repositories/acme/web/commit/${pr.source.hash}/statuses/build`, { key: 'deploy', state: 'FAILED', name: 'Deploy', url: 'https://ci.test/1' });
    expect(posted.status).toBe(201);
    await m.h.sandbox.idle();
    const [event] = webhooksOf(m, 'repo:commit_status_created');
    expect(await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: event!.event, data: event!.data, at: new Date() })).toBe('status');
    expect((await m.store.listStatuses(m.clientKey, pr.repoUuid, [pr.source.hash.slice(0, 12)])).map((s) => s.key)).toEqual(['deploy']);
    const pending = await m.store.countPullRequestsMissingStatuses(m.clientKey);
    expect(await m.sync.backfillStatuses(m.clientKey, m.source(), 100)).toBe(pending);
    expect(await m.store.countPullRequestsMissingStatuses(m.clientKey)).toBe(0);
    expect((await m.store.listStatuses(m.clientKey, pr.repoUuid, [pr.source.hash.slice(0, 12)])).map((s) => s.key).sort()).toEqual(['build', 'deploy', 'e2e']);
  });

  it('views: the panel and dashboard answer warm with 0 Bitbucket calls; an unknown PR is read live once and then mirrored', async () => {
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    await m.sync.backfillStatuses(m.clientKey, m.source(), 100);
    const credential = `app:${m.clientKey}`;
    const live = (): MirrorSource => m.source('people');
    const deps = { store: m.store, sync: m.sync, now: () => new Date(), live };
    m.h.sandbox.requests.reset();
    const panel = await loadPrPanelView(deps, { clientKey: m.clientKey, repositoryUuid: repoUuid('web'), pullRequestId: 1 });
    const dashboard = await loadRepoDashboardView(deps, { clientKey: m.clientKey, repositoryUuid: repoUuid('web') });
    expect(m.h.sandbox.requests.get(credential).total).toBe(0);
    expect(panel.freshness).toMatchObject({ source: 'mirror', complete: true });
    expect(panel.statuses.map((s) => s.key).sort()).toEqual(['build', 'e2e']);
    expect(dashboard.freshness).toMatchObject({ source: 'mirror', complete: true });
    expect(dashboard.pullRequests.map((p) => p.pullRequest.id).sort()).toEqual(
      m.h.sandbox.state.pullRequests.filter((p) => p.repoUuid === repoUuid('web') && p.state === 'OPEN').map((p) => p.id).sort(),
    );

    // A PR created after the sync and whose webhook has not come: read live, then mirrored.
    const created = await m.h.api('POST', '/2.0/repositories/acme/web/pullrequests', { title: 'New work', source: { branch: { name: 'feature/login-form' } }, destination: { branch: { name: 'main' } } });
    expect(created.status).toBe(201);
    const id = created.json.id as number;
    m.h.sandbox.requests.reset();
    const first = await loadPrPanelView(deps, { clientKey: m.clientKey, repositoryUuid: repoUuid('web'), pullRequestId: id });
    expect(first.freshness.source).toBe('live');
    expect(m.h.sandbox.requests.get(credential).total).toBe(2);
    const second = await loadPrPanelView(deps, { clientKey: m.clientKey, repositoryUuid: repoUuid('web'), pullRequestId: id });
    expect(second.freshness.source).toBe('mirror');
    expect(second.pullRequest.title).toBe('New work');
    expect(m.h.sandbox.requests.get(credential).total).toBe(2);
    expect((await m.budget.load(m.clientKey)).credentials[0]?.byLane.people).toBe(2);
  });

  it('uninstall purges every mirror row of the tenant', async () => {
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    await m.sync.backfillStatuses(m.clientKey, m.source(), 100);
    expect((await m.store.listRepositories(m.clientKey)).length).toBe(3);
    await createSqlBudgetStore(m.db).addUsage({ clientKey: m.clientKey, credential: 'installation', lane: 'sync', purpose: 'mirror.sync', minute: 1, count: 1 });
    const counts = async () => {
      const where = { where: { clientKey: m.clientKey } };
      const { MirrorPullRequest, MirrorCommitStatus, BudgetUsage } = m.db.models;
      return [await MirrorPullRequest.count(where), await MirrorCommitStatus.count(where), await BudgetUsage.count(where)];
    };
    for (const n of await counts()) expect(n).toBeGreaterThan(0);
    await purgeTenant(m.db, m.clientKey);
    expect(await m.store.listRepositories(m.clientKey)).toEqual([]);
    expect(await m.store.loadProgress(m.clientKey)).toBeNull();
    expect(await counts()).toEqual([0, 0, 0]);
  });
});

describe('workspace mirror under the rate budget', () => {
  let m: MirrorHarness;
  afterEach(async () => m?.close());

  it('an initial sync that meets the sync lane\'s reserve stops, says it waits, and resumes where it stopped', async () => {
    // 4 requests in all; the sync lane may spend 3 of this hour's 7 (reserve 4).
    m = await startMirrorHarness('sqlite', { policy: { limitPerHour: 7, reserve: { people: 0, automation: 2, sync: 4 }, defaultPauseMs: 60_000 } });
    m.clock.now = new Date('2026-03-01T12:00:00Z');
    const err = await m.sync.initialSync(m.clientKey, m.source()).catch((e: unknown) => e);
    expect(findBudgetDeferral(err)).not.toBeNull();
    const waiting = await m.store.loadProgress(m.clientKey);
    expect(waiting).toMatchObject({ state: 'deferred', repositoriesTotal: 3, repositoriesDone: 2 });
    expect(waiting?.message).toContain('Waiting for the rate budget until 2026-03-01T13:01:00.000Z');
    // An hour later the budget has room: the sync lists the repositories again and only the one left.
    m.clock.now = new Date('2026-03-01T13:02:00Z');
    m.h.sandbox.requests.reset();
    expect(await m.sync.initialSync(m.clientKey, m.source())).toMatchObject({ state: 'done', repositoriesDone: 3 });
    expect(m.h.sandbox.requests.get(`app:${m.clientKey}`).total).toBe(2);
  });
});
