import { describe, expect, it } from 'vitest';
import { createQueueState, summarizeQueue } from '../../../server/merge-queue';
import { createWorld, drive, step } from './queue-driver';

const key = { clientKey: 'tenant-1', repository: 'acme/api', branch: 'main' };
const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('summarizeQueue: what the panel, dashboard and API show', () => {
  it('positions, batches and ETAs in queue order (hotfix lane first among waiting)', () => {
    const w = createWorld(createQueueState(key, { batchSize: 2, depth: 1 }));
    for (const pr of [1, 2]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` }, T0);
    // #1 alone in b1 (it was the only one waiting), #2 waits; a hotfix goes ahead of #2.
    step(w, { type: 'enqueue', prId: 3, by: 'bob', sourceCommit: 's3', lane: 'hotfix' }, T0);
    const s = summarizeQueue(w.state, T0, { defaultCycleMs: 30 * 60_000 });
    expect(s.entries.map((e) => [e.prId, e.position, e.state, e.batchId])).toEqual([[1, 1, 'batched', 'b1'], [3, 2, 'waiting', null], [2, 3, 'waiting', null]]);
    expect(s.entries.map((e) => e.etaAt)).toEqual([at(30).toISOString(), at(60).toISOString(), at(60).toISOString()]);
    expect(s.batches).toEqual([{ id: 'b1', prIds: [1], state: 'building', commit: null, createdAt: T0.toISOString(), retry: false, bisect: false }]);
  });

  it('a frozen branch shows the freeze and no ETA while the switch is on', () => {
    const w = createWorld(createQueueState(key, { frozen: true }));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, T0);
    const s = summarizeQueue(w.state, T0);
    expect(s.freeze).toEqual({ frozen: true, until: null, reason: 'frozen by an admin' });
    expect(s.entries[0]!.etaAt).toBeNull();
  });

  it('analytics: time in queue p50/p95, merges per hour, CI runs per merged PR, batch success rate, ejections with reasons', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 1, paused: true }));
    for (const pr of [1, 2, 3]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` }, T0);
    step(w, { type: 'configure', settings: { paused: false } }, T0);
    for (const [pr, minute] of [[1, 20], [2, 40]] as const) {
      const b = `b${pr}`;
      step(w, { type: 'batch-built', batchId: b, commit: `c${pr}` }, at(minute - 19));
      step(w, { type: 'ci-result', batchId: b, commit: `c${pr}`, passed: true }, at(minute));
      step(w, { type: 'land-result', batchId: b, decisionId: `${b}:land`, outcome: 'merged' }, at(minute));
    }
    step(w, { type: 'batch-built', batchId: 'b3', commit: 'c3' }, at(41));
    step(w, { type: 'ci-result', batchId: 'b3', commit: 'c3', passed: false, reason: 'unit tests' }, at(60));
    const s = summarizeQueue(w.state, at(60));
    expect(s.analytics).toEqual({
      timeInQueueP50Ms: 20 * 60_000, timeInQueueP95Ms: 40 * 60_000, mergesLastHour: 2, mergesPerHour: 3,
      ciRunsPerMergedPr: 1.5, batchSuccessRate: 2 / 3,
    });
    expect(s.recentlyLeft).toEqual([{ prId: 3, state: 'ejected', reason: 'Failed the required checks on top of main: unit tests', endedAt: at(60).toISOString() }]);
    expect(s.recentBatches.map((b) => [b.id, b.state])).toEqual([['b3', 'failed'], ['b2', 'merged'], ['b1', 'merged']]);
  });

  it('ETAs follow the median cycle of merged batches', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 1, paused: true }));
    for (const pr of [1, 2]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` }, T0);
    drive(w, { type: 'configure', settings: { paused: false } }, { now: T0 });
    step(w, { type: 'enqueue', prId: 3, by: 'ada', sourceCommit: 's3' }, T0);
    // Both batches took 0 ms here, so the next PR's ETA is now.
    expect(summarizeQueue(w.state, at(5)).entries[0]!.etaAt).toBe(at(5).toISOString());
  });
});
