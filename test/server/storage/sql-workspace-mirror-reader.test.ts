import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlMirrorStore } from '../../../server/storage';
import { createSqlWorkspaceMirrorReader } from '../../../server/storage/sql-workspace-mirror-reader';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

const CK = 'ari:cloud:bitbucket::app/{ws}/bosun';
const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const pr = (id: number, hash: string, updated: string, extra: { draft?: boolean; state?: string } = {}) => ({
  id, state: extra.state ?? 'OPEN', updatedOn: updated, sourceHash: hash,
  dataJson: JSON.stringify({ id, title: `PR ${id}`, state: extra.state ?? 'OPEN', draft: extra.draft ?? false, source: { branch: { name: `f${id}` }, commit: { hash } }, destination: { branch: { name: 'main' } } }),
});
const status = (key: string, state: string) => ({ key, updatedOn: NOW.toISOString(), dataJson: JSON.stringify({ key, state, url: 'https://ci.example.com' }) });

/** The counts the workspace page shows are made in SQL: held against hand-made rows on each database. */
describe.each(testDatabaseKinds())('workspace mirror reader (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    const store = createSqlMirrorStore(opened.db);
    await store.upsertRepositories(CK, [
      { uuid: '{r1}', fullName: 'acme/api', dataJson: JSON.stringify({ uuid: '{r1}', full_name: 'acme/api', name: 'API', links: { html: { href: 'https://bitbucket.org/acme/api' } } }) },
      { uuid: '{r2}', fullName: 'acme/web', dataJson: JSON.stringify({ uuid: '{r2}', full_name: 'acme/web', name: 'web' }) },
      { uuid: '{r3}', fullName: 'acme/docs', dataJson: JSON.stringify({ uuid: '{r3}', full_name: 'acme/docs', name: 'docs' }) },
    ], NOW);
    await store.applyPullRequests(CK, '{r1}', [
      pr(1, 'aaaaaaaaaaaa', daysAgo(1)), // green: ready
      pr(2, 'bbbbbbbbbbbb', daysAgo(10)), // one green, one failed: failing, stale
      pr(3, 'cccccccccccc', daysAgo(2), { draft: true }), // green but draft: not ready
      pr(4, 'dddddddddddd', daysAgo(1)), // no status at all: pending, not ready
      pr(5, 'eeeeeeeeeeee', daysAgo(30), { state: 'MERGED' }), // closed: not counted
    ], NOW);
    await store.applyPullRequests(CK, '{r2}', [pr(1, 'ffffffffffff', daysAgo(0))], NOW);
    await store.applyStatuses(CK, '{r1}', 'aaaaaaaaaaaa', [status('ci', 'SUCCESSFUL')]);
    await store.applyStatuses(CK, '{r1}', 'bbbbbbbbbbbb', [status('ci', 'SUCCESSFUL'), status('lint', 'FAILED')]);
    await store.applyStatuses(CK, '{r1}', 'cccccccccccc', [status('ci', 'SUCCESSFUL')]);
    await store.applyStatuses(CK, '{r1}', 'eeeeeeeeeeee', [status('ci', 'FAILED')]);
    await store.applyStatuses(CK, '{r2}', 'ffffffffffff', [status('ci', 'STOPPED'), status('e2e', 'INPROGRESS')]);
    await store.markStatusesSynced(CK, '{r1}', 1, 'aaaaaaaaaaaa');
    // Another tenant's rows are never counted.
    await store.upsertRepositories('other', [{ uuid: '{r1}', fullName: 'other/api', dataJson: JSON.stringify({ uuid: '{r1}', full_name: 'other/api', name: 'x' }) }], NOW);
    await store.applyPullRequests('other', '{r1}', [pr(1, 'aaaaaaaaaaaa', daysAgo(1))], NOW);
    await opened.db.models.MergeQueue.create({ clientKey: CK, repository: '{r2}', branch: 'main', version: 1, state: JSON.stringify({ entries: [{ state: 'waiting' }] }), updatedAt: NOW });
  });
  afterAll(async () => opened.close());

  it('counts open, ready (not draft, every head build passed), failing, stale and pending per repository, for this tenant only', async () => {
    const snap = await createSqlWorkspaceMirrorReader(opened.db).load(CK, { staleBefore: new Date(NOW.getTime() - 7 * 86_400_000) });
    expect(snap.repositories.map((r) => [r.fullName, r.name, r.url])).toEqual([
      ['acme/api', 'API', 'https://bitbucket.org/acme/api'],
      ['acme/docs', 'docs', null],
      ['acme/web', 'web', null],
    ]);
    const byRepo = Object.fromEntries(snap.pullRequests.map((p) => [p.repositoryUuid, p]));
    expect(byRepo['{r1}']).toMatchObject({ open: 4, ready: 1, failing: 1, stale: 1, worst: 'FAILED', statusesPending: 3 });
    expect(byRepo['{r2}']).toMatchObject({ open: 1, ready: 0, failing: 1, stale: 0, worst: 'STOPPED', statusesPending: 1 });
    expect(byRepo['{r3}']).toBeUndefined();
    expect(snap.queues).toEqual([{ repository: '{r2}', stateJson: JSON.stringify({ entries: [{ state: 'waiting' }] }) }]);
  });
});
