import { describe, expect, it, vi } from 'vitest';
import { createBatchedProjection } from '../../../server/mirror';
import type { MirrorStore } from '../../../server/mirror/mirror-store';

/** A store that records what the projection wrote, and lets the test hold a write. */
function recordingStore() {
  const applied: Array<{ id: number; title: string }> = [];
  let hold: Promise<void> = Promise.resolve();
  const store = {
    getRepository: async () => ({ uuid: '{r}' }),
    upsertRepositories: async () => {},
    markEvent: async () => {},
    noteRepositoryEvent: async () => {},
    applyPullRequests: async (_c: string, _r: string, records: Array<{ id: number; dataJson: string }>) => {
      await hold;
      applied.push(...records.map((r) => ({ id: r.id, title: (JSON.parse(r.dataJson) as { title: string }).title })));
    },
    applyStatuses: async () => {},
  } as unknown as MirrorStore;
  return { store, applied, setHold: (p: Promise<void>) => (hold = p) };
}

const user = { type: 'user', uuid: '{u}', display_name: 'U', nickname: 'u' };
const prEvent = (id: number, title: string, updatedOn: string) => ({
  clientKey: 't',
  event: 'pullrequest:updated',
  data: {
    repository: { uuid: '{r}', full_name: 'acme/web', name: 'web' },
    pullrequest: {
      type: 'pullrequest', id, title, state: 'OPEN', author: user, created_on: '2026-01-01T00:00:00Z', updated_on: updatedOn,
      source: { branch: { name: 'f' }, commit: { hash: 'a1b2c3d4e5f6' } }, destination: { branch: { name: 'main' }, commit: { hash: 'f6e5d4c3b2a1' } },
    },
  },
});

describe('batched mirror projection', () => {
  it('a burst about one PR is written once, from the newest snapshot whatever the arrival order', async () => {
    const { store, applied, setHold } = recordingStore();
    const projection = createBatchedProjection({ store, now: () => new Date(), onError: (err) => { throw err; } });
    let release: () => void = () => {};
    setHold(new Promise<void>((r) => (release = r)));
    // The first batch is being written while the rest arrive: they wait for the next one.
    const first = projection.project(prEvent(1, 'first', '2026-01-01T00:00:01Z'));
    // Past the batch's collecting window (timers fire in due order): the first batch is being written.
    await new Promise((r) => setTimeout(r, 30));
    const rest = [
      projection.project(prEvent(1, 'newest', '2026-01-01T00:00:09Z')),
      projection.project(prEvent(1, 'late retry of an older one', '2026-01-01T00:00:05Z')),
      projection.project(prEvent(2, 'other PR', '2026-01-01T00:00:02Z')),
    ];
    release();
    await Promise.all([first, ...rest]);
    expect(applied).toEqual([{ id: 1, title: 'first' }, { id: 1, title: 'newest' }, { id: 2, title: 'other PR' }]);
  });

  it('webhooks handed over in separate turns within the collecting window share one write', async () => {
    const { store } = recordingStore();
    // A store that writes a batch at once (as the SQL store does): one call per batch.
    const writes: number[][] = [];
    const counting: MirrorStore = { ...store, applyWebhookProjections: async (batch) => { writes.push(batch.pullRequests.map((p) => p.pullRequest.id)); } };
    const projection = createBatchedProjection({ store: counting, now: () => new Date(), onError: (err) => { throw err; } });
    // On a fake clock: the turns are 4 ms apart whatever the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const done = [projection.project(prEvent(1, 'one', '2026-01-01T00:00:01Z'))];
      await vi.advanceTimersByTimeAsync(4);
      done.push(projection.project(prEvent(2, 'two', '2026-01-01T00:00:01Z')));
      await vi.advanceTimersByTimeAsync(4);
      done.push(projection.project(prEvent(3, 'three', '2026-01-01T00:00:01Z')));
      expect(writes).toEqual([]);
      await vi.advanceTimersByTimeAsync(10);
      await Promise.all(done);
    } finally {
      vi.useRealTimers();
    }
    expect(writes.map((ids) => [...ids].sort())).toEqual([[1, 2, 3]]);
  });

  it('idle() waits for what was handed over before it, not for what comes after', async () => {
    const { store, applied, setHold } = recordingStore();
    const projection = createBatchedProjection({ store, now: () => new Date(), onError: (err) => { throw err; } });
    let release: () => void = () => {};
    setHold(new Promise<void>((r) => (release = r)));
    void projection.project(prEvent(1, 'a', '2026-01-01T00:00:01Z'));
    let idle = false;
    const waiting = projection.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(applied.map((a) => a.title)).toEqual(['a']);
    expect(await Promise.race([projection.idle().then(() => 'idle'), new Promise((r) => setTimeout(() => r('waiting'), 50))])).toBe('idle');
  });
});
