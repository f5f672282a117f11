import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWebhookEvent } from '../../../server/mirror';
import { applyWebhookEvents } from '../../../server/mirror/apply-webhook-event';
import type { MirrorStore } from '../../../server/mirror/mirror-store';
import { createSqlMirrorStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

const user = { type: 'user', uuid: '{u}', display_name: 'U', nickname: 'u' };
const repository = (uuid: string) => ({ uuid, full_name: `acme/${uuid.slice(1, 4)}`, name: uuid.slice(1, 4) });
const prEvent = (clientKey: string, repo: string, id: number, title: string, updatedOn: string, event = 'pullrequest:updated') => ({
  clientKey,
  event,
  data: {
    repository: repository(repo),
    pullrequest: {
      type: 'pullrequest', id, title, state: 'OPEN', author: user, created_on: '2026-01-01T00:00:00Z', updated_on: updatedOn,
      source: { branch: { name: 'f' }, commit: { hash: 'a1b2c3d4e5f6a7b8' } }, destination: { branch: { name: 'main' }, commit: { hash: 'f6e5d4c3b2a1' } },
    },
  },
});
const statusEvent = (clientKey: string, repo: string, key: string, state: string, updatedOn: string) => ({
  clientKey,
  event: 'repo:commit_status_updated',
  data: {
    repository: repository(repo),
    commit_status: {
      type: 'build', key, state, name: key, url: 'https://ci.example/1', refname: 'f', created_on: '2026-01-01T00:00:00Z', updated_on: updatedOn,
      commit: { hash: 'a1b2c3d4e5f6a7b8c9d0' },
    },
  },
});

describe.each(testDatabaseKinds())('a batch of webhook projections in one write (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  let store: MirrorStore;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    store = createSqlMirrorStore(opened.db);
  });
  afterAll(async () => {
    await opened.close();
  });
  const at = new Date('2026-12-02T10:00:00.000Z');
  const fail = (err: unknown) => {
    throw err;
  };

  /** What the mirror holds for a tenant, without the write times (which differ between the two ways of writing). */
  const snapshot = async (clientKey: string, repos: string[]) => ({
    repositories: (await store.listRepositories(clientKey)).map((r) => ({ uuid: r.uuid, fullName: r.fullName, dataJson: r.dataJson, lastEventAt: r.lastEventAt })),
    pullRequests: (await Promise.all(repos.map((r) => store.listPullRequests(clientKey, r, ['OPEN'])))).flat().map(({ mirroredAt: _, ...pr }) => pr),
    statuses: (await Promise.all(repos.map((r) => store.listStatuses(clientKey, r, ['a1b2c3d4e5f6'])))).flat(),
  });

  it('writes what applying the webhooks one by one writes: repositories, pull requests, statuses, across tenants', async () => {
    const events = (clientKey: string) => [
      prEvent(clientKey, '{r1}', 1, 'one', '2026-01-01T00:00:01Z'),
      prEvent(clientKey, '{r1}', 2, 'two', '2026-01-01T00:00:02Z', 'pullrequest:approved'),
      prEvent(clientKey, '{r2}', 1, 'other repo', '2026-01-01T00:00:03Z'),
      statusEvent(clientKey, '{r1}', 'build', 'INPROGRESS', '2026-01-01T00:00:04Z'),
      statusEvent(clientKey, '{r1}', 'lint', 'SUCCESSFUL', '2026-01-01T00:00:05Z'),
      { clientKey, event: 'repo:fork', data: { repository: repository('{r1}') } },
    ];
    for (const e of events('one-by-one')) await applyWebhookEvent(store, { ...e, at });
    await applyWebhookEvents(store, [...events('batch-a'), ...events('batch-b')], at, fail);
    const expected = await snapshot('one-by-one', ['{r1}', '{r2}']);
    expect(expected.pullRequests).toHaveLength(3);
    expect(expected.statuses).toHaveLength(2);
    for (const tenant of ['batch-a', 'batch-b']) expect(await snapshot(tenant, ['{r1}', '{r2}'])).toEqual(expected);
  });

  it('keeps the newest snapshot per pull request and status, in the batch and against what is stored; a known repository keeps its data', async () => {
    const clientKey = 'newest';
    await store.upsertRepositories(clientKey, [{ uuid: '{r1}', fullName: 'acme/r1', dataJson: '{"full":"listing"}' }], at);
    await applyWebhookEvents(store, [prEvent(clientKey, '{r1}', 3, 'stored, newer', '2026-01-01T00:00:09Z')], at, fail);
    await applyWebhookEvents(
      store,
      [
        prEvent(clientKey, '{r1}', 3, 'older than stored', '2026-01-01T00:00:05Z'),
        prEvent(clientKey, '{r1}', 4, 'newest', '2026-01-01T00:00:08Z'),
        prEvent(clientKey, '{r1}', 4, 'late older', '2026-01-01T00:00:06Z'),
        prEvent(clientKey, '{r1}', 5, 'equal, first', '2026-01-01T00:00:07Z'),
        prEvent(clientKey, '{r1}', 5, 'equal, later', '2026-01-01T00:00:07Z'),
        statusEvent(clientKey, '{r1}', 'build', 'SUCCESSFUL', '2026-01-01T00:00:09Z'),
        statusEvent(clientKey, '{r1}', 'build', 'INPROGRESS', '2026-01-01T00:00:04Z'),
      ],
      new Date(at.getTime() + 1000),
      fail,
    );
    const title = async (id: number) => (JSON.parse((await store.getPullRequest(clientKey, '{r1}', id))!.dataJson) as { title: string }).title;
    expect([await title(3), await title(4), await title(5)]).toEqual(['stored, newer', 'newest', 'equal, later']);
    expect((await store.listStatuses(clientKey, '{r1}', ['a1b2c3d4e5f6'])).map((s) => JSON.parse(s.dataJson) as { state: string }).map((s) => s.state)).toEqual(['SUCCESSFUL']);
    const repo = await store.getRepository(clientKey, '{r1}');
    expect(repo).toMatchObject({ dataJson: '{"full":"listing"}', lastEventAt: new Date(at.getTime() + 1000) });
  });

  it('when the batch cannot be written, writes the webhooks one by one and tells each failure on its own', async () => {
    const clientKey = 'fallback';
    const failing: MirrorStore = {
      ...store,
      applyWebhookProjections: async () => {
        throw new Error('batch refused');
      },
      applyPullRequests: async (c, r, prs, when) => {
        if (prs.some((p) => p.id === 13)) throw new Error('this one is refused');
        return store.applyPullRequests(c, r, prs, when);
      },
    };
    const errors: string[] = [];
    await applyWebhookEvents(
      failing,
      [prEvent(clientKey, '{r1}', 12, 'twelve', '2026-01-01T00:00:01Z'), prEvent(clientKey, '{r1}', 13, 'thirteen', '2026-01-01T00:00:01Z')],
      at,
      (err, input) => errors.push(`${(err as Error).message}: ${(input.data as { pullrequest: { id: number } }).pullrequest.id}`),
    );
    expect(errors).toEqual(['this one is refused: 13']);
    expect((await store.listPullRequests(clientKey, '{r1}', ['OPEN'])).map((p) => p.id)).toEqual([12]);
  });
});
