import { describe, expect, it } from 'vitest';
import { applyQueueEvent, createQueueState, getQueueOrder, type QueueSettings } from '../../../server/merge-queue';
import { createWorld, drive, ofType, step } from './queue-driver';

const key = { clientKey: 'tenant-1', repository: 'acme/api', branch: 'main' };
const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A queue with `prs` waiting (queued while paused), then resumed under `settings`. */
function queued(prs: number[], settings: Partial<QueueSettings>, opts: Parameters<typeof drive>[2] = {}) {
  const w = createWorld(createQueueState(key, { ...settings, paused: true }));
  for (const pr of prs) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` });
  drive(w, { type: 'configure', settings: { paused: false } }, opts);
  return w;
}

describe('merge queue state machine: ordering, priority, freeze, pause', () => {
  it.each([
    { name: 'serial', settings: { batchSize: 1, depth: 1 }, batches: 3 },
    { name: 'batch of 4', settings: { batchSize: 4, depth: 1 }, batches: 1 },
    { name: 'speculative depth 3', settings: { batchSize: 1, depth: 3 }, batches: 3 },
  ])('$name: lands PRs in queue order, every target head tested', ({ settings, batches }) => {
    const w = queued([1, 2, 3], settings);
    expect(w.landed).toEqual([1, 2, 3]);
    expect(w.heads.every((h) => h.tested)).toBe(true);
    expect(w.state.stats).toMatchObject({ merged: 3, ciRuns: batches, batchesPassed: batches, batchesFailed: 0 });
    expect(w.state.entries.map((e) => e.state)).toEqual(['merged', 'merged', 'merged']);
  });

  it('a hotfix lane goes ahead of waiting PRs, never ahead of a batch already running', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 1 }));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' });
    step(w, { type: 'enqueue', prId: 2, by: 'ada', sourceCommit: 's2' });
    step(w, { type: 'enqueue', prId: 3, by: 'ada', sourceCommit: 's3' });
    step(w, { type: 'enqueue', prId: 4, by: 'bob', sourceCommit: 's4', lane: 'hotfix' });
    expect(getQueueOrder(w.state).map((e) => e.prId)).toEqual([1, 4, 2, 3]);
    expect(getQueueOrder(w.state).map((e) => e.state)).toEqual(['batched', 'waiting', 'waiting', 'waiting']);
  });

  it('refuses an unknown lane and a second enqueue of a queued PR (no duplicate, no reorder)', () => {
    const w = createWorld(createQueueState(key, { paused: true }));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' });
    step(w, { type: 'enqueue', prId: 2, by: 'ada', sourceCommit: 's2' });
    const again = applyQueueEvent(w.state, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, T0);
    expect(again.notices).toEqual([{ kind: 'already-queued', prId: 1 }]);
    expect(again.effects).toEqual([]);
    expect(getQueueOrder(again.state).map((e) => [e.prId, e.seq])).toEqual([[1, 1], [2, 2]]);
    expect(applyQueueEvent(w.state, { type: 'enqueue', prId: 3, by: 'ada', sourceCommit: 's3', lane: 'vip' }, T0).notices).toEqual([{ kind: 'unknown-lane', prId: 3, lane: 'vip' }]);
  });

  it('the freeze switch starts nothing and lands nothing; running checks finish and land after thawing', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 1 }));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'enqueue', prId: 2, by: 'ada', sourceCommit: 's2' });
    step(w, { type: 'configure', settings: { frozen: true } });
    const green = step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true });
    expect(green).toEqual([]);
    expect(w.state.batches.map((b) => b.state)).toEqual(['passed']);
    const thaw = step(w, { type: 'configure', settings: { frozen: false } });
    expect(ofType(thaw, 'land-batch')).toEqual([{ type: 'land-batch', batchId: 'b1', decisionId: 'b1:land', prIds: [1], commit: 'c1' }]);
    // Serial: the next PR is built only on the landed target, not speculated.
    expect(ofType(thaw, 'build-batch')).toEqual([]);
  });

  it('a scheduled freeze window holds the queue until it ends (injected clock, ticks)', () => {
    const settings = { freezeWindows: [{ start: at(10).toISOString(), end: at(70).toISOString(), branches: ['main'], reason: 'release' }] };
    const w = createWorld(createQueueState(key, settings));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, at(20));
    expect(w.effects.filter((e) => e.type === 'build-batch')).toEqual([]);
    expect(step(w, { type: 'tick' }, at(69))).toEqual([]);
    expect(ofType(step(w, { type: 'tick' }, at(70)), 'build-batch')).toHaveLength(1);
    // A window for other branches does not freeze main.
    const other = createWorld(createQueueState(key, { freezeWindows: [{ ...settings.freezeWindows[0]!, branches: ['release/*'] }] }));
    expect(ofType(step(other, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, at(20)), 'build-batch')).toHaveLength(1);
  });

  it('pause lets the running batch finish and land, and starts nothing new', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 1 }));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' });
    step(w, { type: 'enqueue', prId: 2, by: 'ada', sourceCommit: 's2' });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'configure', settings: { paused: true } });
    expect(ofType(step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true }), 'land-batch')).toHaveLength(1);
    expect(step(w, { type: 'land-result', batchId: 'b1', decisionId: 'b1:land', outcome: 'merged' })).toEqual([{ type: 'notify', prId: 1, kind: 'merged', reason: null }]);
    expect(getQueueOrder(w.state).map((e) => [e.prId, e.state])).toEqual([[2, 'waiting']]);
  });
});

describe('merge queue state machine: re-check, ejection, exactly once', () => {
  it('a refused merge (409, conflict, readiness) ejects that PR with the reason; the rest wait again in order', () => {
    const w = createWorld(createQueueState(key, { batchSize: 3, depth: 1, paused: true }));
    for (const pr of [1, 2, 3]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` });
    step(w, { type: 'configure', settings: { paused: false } });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true });
    const effects = step(w, { type: 'land-result', batchId: 'b1', decisionId: 'b1:land', outcome: 'rejected', prId: 2, reason: '409: the source branch has a new commit' });
    expect(ofType(effects, 'notify')).toEqual([{ type: 'notify', prId: 2, kind: 'ejected', reason: 'The merge was refused: 409: the source branch has a new commit' }]);
    expect(ofType(effects, 'build-batch')).toEqual([{ type: 'build-batch', batchId: 'b2', prIds: [1, 3], base: { kind: 'target' } }]);
  });

  it('a new commit on a queued PR ejects it and cancels its batch and the ones built on it; the same commit redelivered is nothing', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 2, paused: true }));
    for (const pr of [1, 2, 3]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` });
    step(w, { type: 'configure', settings: { paused: false } });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'batch-built', batchId: 'b2', commit: 'c2' });
    expect(step(w, { type: 'pr-updated', prId: 1, sourceCommit: 's1' })).toEqual([]);
    const effects = step(w, { type: 'pr-updated', prId: 1, sourceCommit: 'abcdef1234567890' });
    expect(ofType(effects, 'cancel-batch').map((e) => e.batchId)).toEqual(['b1', 'b2']);
    expect(ofType(effects, 'notify')[0]).toMatchObject({ prId: 1, kind: 'ejected', reason: expect.stringContaining('new commit (abcdef123456)') });
    expect(ofType(effects, 'build-batch')[0]).toMatchObject({ prIds: [2], base: { kind: 'target' } });
    // The cancelled batch's CI answer, arriving late, is ignored.
    expect(step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true })).toEqual([]);
  });

  it('dequeue takes a waiting PR out, refuses while its batch is landing, and says when it is not queued', () => {
    const w = createWorld(createQueueState(key));
    step(w, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' });
    step(w, { type: 'enqueue', prId: 2, by: 'ada', sourceCommit: 's2' });
    expect(ofType(step(w, { type: 'dequeue', prId: 2, by: 'ada' }), 'notify')).toEqual([{ type: 'notify', prId: 2, kind: 'dequeued', reason: 'Removed from the queue by ada.' }]);
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true });
    expect(applyQueueEvent(w.state, { type: 'dequeue', prId: 1, by: 'ada' }, T0).notices).toEqual([{ kind: 'already-landing', prId: 1 }]);
    expect(applyQueueEvent(w.state, { type: 'dequeue', prId: 9, by: 'ada' }, T0).notices).toEqual([{ kind: 'not-queued', prId: 9 }]);
  });

  it('a storm of redelivered green statuses, merge results and fulfilled webhooks gives one landing and one merge', () => {
    const w = createWorld(createQueueState(key));
    step(w, { type: 'enqueue', prId: 7, by: 'ada', sourceCommit: 's7' });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    const all = [];
    for (let i = 0; i < 50; i++) {
      all.push(...step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true }));
      all.push(...step(w, { type: 'enqueue', prId: 7, by: 'ada', sourceCommit: 's7' }));
    }
    for (let i = 0; i < 50; i++) {
      all.push(...step(w, { type: 'land-result', batchId: 'b1', decisionId: 'b1:land', outcome: 'merged' }));
      all.push(...step(w, { type: 'pr-closed', prId: 7, state: 'MERGED' }));
    }
    expect(ofType(all, 'land-batch')).toHaveLength(1);
    expect(ofType(all, 'notify')).toEqual([{ type: 'notify', prId: 7, kind: 'merged', reason: null }]);
    expect(w.state.stats.merged).toBe(1);
  });

  it('resume repeats the effects of batches in flight under the same decision id, and nothing else', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 2, paused: true }));
    for (const pr of [1, 2]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` });
    step(w, { type: 'configure', settings: { paused: false } });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true });
    expect(step(w, { type: 'resume' })).toEqual([
      { type: 'land-batch', batchId: 'b1', decisionId: 'b1:land', prIds: [1], commit: 'c1' },
      { type: 'build-batch', batchId: 'b2', prIds: [2], base: { kind: 'batch', batchId: 'b1', commit: 'c1' } },
    ]);
  });
});

describe('merge queue state machine: speculation, semantic conflicts, bisection, flaky retry', () => {
  const conflict = (a: number, b: number) => (content: number[]) => content.includes(a) && content.includes(b);

  it('a semantic conflict (each passes alone, fails together) is caught before the target; the later PR is ejected with the reason', () => {
    const w = queued([1, 2, 3, 4, 5, 6], { batchSize: 4, depth: 1 }, { fails: conflict(1, 3) });
    expect(w.landed).toEqual([1, 2, 4, 5, 6]);
    expect(w.heads.every((h) => h.tested)).toBe(true);
    expect(w.heads.some((h) => h.content.includes(1) && h.content.includes(3))).toBe(false);
    const ejected = w.state.entries.find((e) => e.prId === 3)!;
    expect(ejected.state).toBe('ejected');
    // [1,2,3,4] red; bisect: [1,2] green and lands; [3] alone on top of it red: ejected; [4,5,6] green.
    expect(ejected.reason).toMatch(/bisection: tested alone/);
    expect(w.state.stats).toMatchObject({ ciRuns: 4, batchesFailed: 2, merged: 5, ejected: 1 });
  });

  it('bisection finds a culprit in the first half without testing it alone (the half ahead of it passed), and lands the rest', () => {
    const w = queued([1, 2, 3, 4], { batchSize: 4, depth: 1 }, { fails: (c) => c.includes(2) });
    expect(w.landed).toEqual([1, 3, 4]);
    expect(w.state.entries.find((e) => e.prId === 2)).toMatchObject({ state: 'ejected', reason: expect.stringContaining('bisection: #1 passed without it') });
    expect(w.heads.every((h) => h.tested)).toBe(true);
    // [1,2,3,4] red, [1,2] red, [1] green and lands (so #2 is the one), [3,4] green.
    expect(w.state.stats).toMatchObject({ ciRuns: 4, batchesFailed: 2, merged: 3, ejected: 1 });
  });

  it('bisection of a lone culprit at the end of a batch', () => {
    const w = queued([1, 2, 3, 4], { batchSize: 4, depth: 1 }, { fails: (c) => c.includes(4) });
    expect(w.landed).toEqual([1, 2, 3]);
    // [1,2,3,4] red, [1,2] green, [3] green, so #4.
    expect(w.state.stats).toMatchObject({ ciRuns: 3, batchesFailed: 1, merged: 3, ejected: 1 });
  });

  it('speculates past a bisection step whose passing leaves one suspect, without that suspect', () => {
    // Culprit #4: [1..4] red; bisect [1,2] lands; [3] is tested with [5,6] built on it (without #4).
    const w = queued([1, 2, 3, 4, 5, 6], { batchSize: 4, depth: 2 }, { fails: (c) => c.includes(4) });
    expect(w.landed).toEqual([1, 2, 3, 5, 6]);
    expect(w.heads.every((h) => h.tested)).toBe(true);
    const builds = w.effects.filter((e) => e.type === 'build-batch');
    expect(builds.map((b) => b.prIds)).toEqual([[1, 2, 3, 4], [5, 6], [1, 2], [3], [5, 6]]);
    expect(builds[4]).toMatchObject({ base: { kind: 'batch' } });
    // And when the step fails instead, what was speculated on it is cancelled and nothing untested lands.
    const other = queued([1, 2, 3, 4, 5, 6], { batchSize: 4, depth: 2 }, { fails: (c) => c.includes(3) });
    expect(other.landed).toEqual([1, 2, 4, 5, 6]);
    expect(other.heads.every((h) => h.tested)).toBe(true);
  });

  it('a failed batch is retried once before bisecting: a flaky failure lands the batch as it was', () => {
    const w = queued([1, 2, 3, 4], { batchSize: 4, depth: 1, retryFailedBatchOnce: true }, { flakyFirstRun: new Set(['1,2,3,4']) });
    expect(w.landed).toEqual([1, 2, 3, 4]);
    expect(w.state.stats).toMatchObject({ ciRuns: 2, batchesFailed: 1, batchesPassed: 1, flakyRetriesPassed: 1 });
    expect(w.state.batches.map((b) => [b.prIds.length, b.retry, b.state])).toEqual([[4, false, 'failed'], [4, true, 'merged']]);
  });

  it('speculation tests each batch on top of the one before; a failure ahead cancels what was built on it', () => {
    const w = queued([1, 2, 3, 4, 5, 6], { batchSize: 2, depth: 3 }, { fails: conflict(2, 3) });
    expect(w.landed).toEqual([1, 2, 4, 5, 6]);
    expect(w.heads.every((h) => h.tested)).toBe(true);
    expect(w.effects.some((e) => e.type === 'build-batch' && e.base.kind === 'batch')).toBe(true);
    expect(w.effects.some((e) => e.type === 'cancel-batch')).toBe(true);
  });

  it('holds a red speculative batch until the batch ahead of it lands, then acts on it', () => {
    const w = createWorld(createQueueState(key, { batchSize: 1, depth: 2, paused: true }));
    for (const pr of [1, 2]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` });
    step(w, { type: 'configure', settings: { paused: false } });
    step(w, { type: 'batch-built', batchId: 'b1', commit: 'c1' });
    step(w, { type: 'batch-built', batchId: 'b2', commit: 'c2' });
    expect(step(w, { type: 'ci-result', batchId: 'b2', commit: 'c2', passed: false })).toEqual([]);
    step(w, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true });
    const effects = step(w, { type: 'land-result', batchId: 'b1', decisionId: 'b1:land', outcome: 'merged' });
    expect(ofType(effects, 'notify').map((n) => [n.prId, n.kind])).toEqual([[1, 'merged'], [2, 'ejected']]);
  });

  it('a conflict while composing the temporary branch ejects that PR and rebuilds the others', () => {
    const w = createWorld(createQueueState(key, { batchSize: 3, depth: 1, paused: true }));
    for (const pr of [1, 2, 3]) step(w, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` });
    step(w, { type: 'configure', settings: { paused: false } });
    const effects = step(w, { type: 'batch-build-failed', batchId: 'b1', prId: 2, reason: 'merge conflict in src/app.ts' });
    expect(ofType(effects, 'notify')[0]).toMatchObject({ prId: 2, kind: 'ejected', reason: expect.stringContaining('merge conflict in src/app.ts') });
    expect(ofType(effects, 'build-batch')).toEqual([{ type: 'build-batch', batchId: 'b2', prIds: [1, 3], base: { kind: 'target' } }]);
  });

  it('a PR whose own builds already failed is recorded and ejected at once: no batch, no CI run', () => {
    const w = createWorld(createQueueState(key, { batchSize: 4, depth: 1 }));
    const effects = step(w, { type: 'enqueue', prId: 9, by: 'ada', sourceCommit: 's9aaaaaaaaaaaa', ownBuildsFailed: 'unit failed' });
    expect(effects).toEqual([{ type: 'notify', prId: 9, kind: 'ejected', reason: expect.stringContaining('Its own builds failed on s9aaaaaaaaaa (unit failed)') }]);
    expect(w.state.entries).toMatchObject([{ prId: 9, state: 'ejected' }]);
    expect(w.state.stats).toMatchObject({ ciRuns: 0, ejected: 1 });
    // Once its builds are fixed it may be queued again.
    expect(ofType(step(w, { type: 'enqueue', prId: 9, by: 'ada', sourceCommit: 's9b' }), 'build-batch')).toHaveLength(1);
  });

  it("a queued PR's own build failing on its queued commit ejects it and rebuilds its batch without it; another commit or a landing batch changes nothing", () => {
    const w = queued([1, 2, 3], { batchSize: 4, depth: 1 }, { holdCi: true });
    expect(w.state.batches.at(-1)).toMatchObject({ prIds: [1, 2, 3], state: 'testing' });
    expect(step(w, { type: 'pr-builds-failed', prId: 2, sourceCommit: 'other', reason: 'unit failed' })).toEqual([]);
    const effects = step(w, { type: 'pr-builds-failed', prId: 2, sourceCommit: 's2', reason: 'unit failed' });
    expect(ofType(effects, 'notify')).toEqual([{ type: 'notify', prId: 2, kind: 'ejected', reason: expect.stringContaining('Its own builds failed') }]);
    expect(ofType(effects, 'build-batch')).toEqual([{ type: 'build-batch', batchId: 'b2', prIds: [1, 3], base: { kind: 'target' } }]);
    drive(w, { type: 'batch-built', batchId: 'b2', commit: 'c-b2' });
    const landing = step(w, { type: 'ci-result', batchId: 'b2', commit: 'c-b2', passed: true });
    expect(ofType(landing, 'land-batch')).toHaveLength(1);
    expect(step(w, { type: 'pr-builds-failed', prId: 1, sourceCommit: 's1', reason: 'late' })).toEqual([]);
    expect(w.state.entries.find((e) => e.prId === 1)?.state).toBe('batched');
  });
});

describe('merge queue state machine: merge strategy', () => {
  it('the strategy is not a queue setting (the runner reads the policy): builds carry none, and a stored queue\'s old mergeStrategy changes nothing', () => {
    const build = (settings: Partial<QueueSettings>) =>
      applyQueueEvent(createQueueState(key, settings), { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, T0).effects.find((e) => e.type === 'build-batch');
    expect(build({})).toEqual({ type: 'build-batch', batchId: 'b1', prIds: [1], base: { kind: 'target' } });
    const legacy = { mergeStrategy: 'fast_forward' } as unknown as Partial<QueueSettings>;
    expect(build(legacy)).toEqual({ type: 'build-batch', batchId: 'b1', prIds: [1], base: { kind: 'target' } });
  });
});
