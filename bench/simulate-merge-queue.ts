/**
 * The merge queue end to end on a simulated clock: the real state machine through the store
 * (processQueueEvent), sandbox/queue-ci for CI, and a target branch that records what landed.
 * Bitbucket's own steps (building the temporary branch, the fast-forward landing) take fixed
 * simulated times; CI takes `ciDurationMs`.
 */
import { performance } from 'node:perf_hooks';
import { createMemoryMergeQueueStore, processQueueEvent, type MergeQueueStore, type QueueEffect, type QueueEvent } from '../server/merge-queue';
import { createQueueCi, createSimulatedClock } from '../sandbox/queue-ci';

export interface MergeQueueSimulation {
  name: string;
  batchSize: number;
  depth: number;
  retryFailedBatchOnce?: boolean;
  prs: number;
  /** PR ids that fail whenever they are included. */
  failing: number[];
  /**
   * Whether each PR's own CI (the PR alone, before it is queued) sees what the queue's CI would:
   * then the enqueue carries its failed builds and the queue refuses it without a batch (Bosun's
   * entry gate). Default false: the failures show only in the queue, which must find them.
   */
  ownCiSeesFailures?: boolean;
  conflicting?: Array<[number, number]>;
  ciDurationMs: number;
  buildMs?: number;
  landMs?: number;
  store?: MergeQueueStore;
}

export interface MergeQueueSimulationResult {
  name: string;
  merged: number;
  ejected: number;
  ciRuns: number;
  simulatedHours: number;
  mergesPerHour: number;
  mergesPerCiHour: number;
  ciRunsPerMerged: number;
  /** The PRs' own CI runs (one per PR, before queueing): not queue runs, and the same with or without a queue. */
  ownCiRuns: number;
  /** Target heads whose exact content no passing CI run saw. */
  untestedHeads: number;
  /** Real milliseconds from the event that made a batch landable (its green, or the landing ahead of it) to the merge request. */
  toMergeRequestMs: number[];
  landedOrder: number[];
}

const START = new Date('2026-12-01T09:00:00.000Z');

export async function simulateMergeQueue(sim: MergeQueueSimulation): Promise<MergeQueueSimulationResult> {
  const clock = createSimulatedClock(START);
  const store = sim.store ?? createMemoryMergeQueueStore();
  const key = { clientKey: 'tenant-bench', repository: 'acme/api', branch: 'main' };
  const ci = createQueueCi({ durationMs: sim.ciDurationMs, failing: sim.failing.map(String), conflicting: (sim.conflicting ?? []).map(([a, b]) => [String(a), String(b)] as const), after: clock.after });
  const inbox: QueueEvent[] = [];
  const landed: number[] = [];
  const contents = new Map<string, number[]>();
  const passedContent = new Map<string, string>();
  const toMergeRequestMs: number[] = [];
  let untestedHeads = 0;
  let lastMergeAt = START.getTime();

  const apply = async (event: QueueEvent): Promise<QueueEffect[]> => {
    const started = performance.now();
    const t = await processQueueEvent(key, event, { store, now: clock.now, defaults: { batchSize: sim.batchSize, depth: sim.depth, retryFailedBatchOnce: sim.retryFailedBatchOnce ?? false, paused: true } });
    if (t.effects.some((e) => e.type === 'land-batch') && (event.type === 'ci-result' || event.type === 'land-result')) toMergeRequestMs.push(performance.now() - started);
    return t.effects;
  };
  const run = (effect: QueueEffect) => {
    if (effect.type === 'build-batch') {
      const base = effect.base.kind === 'target' ? [...landed] : contents.get(effect.base.batchId) ?? [];
      const content = [...base, ...effect.prIds];
      const commit = `c-${effect.batchId}`;
      contents.set(effect.batchId, content);
      clock.after(sim.buildMs ?? 60_000, () => {
        inbox.push({ type: 'batch-built', batchId: effect.batchId, commit });
        ci.run(commit, content.map(String), (r) => {
          if (r.passed) passedContent.set(commit, content.join(','));
          inbox.push({ type: 'ci-result', batchId: effect.batchId, commit, passed: r.passed, reason: r.reason ?? undefined });
        });
      });
    } else if (effect.type === 'land-batch') {
      clock.after(sim.landMs ?? 30_000, () => {
        landed.push(...effect.prIds);
        if (passedContent.get(effect.commit) !== landed.join(',')) untestedHeads += 1;
        lastMergeAt = clock.now().getTime();
        inbox.push({ type: 'land-result', batchId: effect.batchId, decisionId: effect.decisionId, outcome: 'merged' });
      });
    }
  };

  for (let pr = 1; pr <= sim.prs; pr++) {
    // The PR's own CI on its source commit, already finished when it is queued (the same CI model, the PR alone).
    const own = ci.decide(`s${pr}`, [String(pr)]);
    const ownBuildsFailed = (sim.ownCiSeesFailures ?? false) && !own.passed ? own.reason ?? 'a build failed' : undefined;
    inbox.push({ type: 'enqueue', prId: pr, by: 'bench', sourceCommit: `s${pr}`, ownBuildsFailed });
  }
  inbox.push({ type: 'configure', settings: { paused: false } });
  for (;;) {
    const event = inbox.shift();
    if (event) {
      for (const effect of await apply(event)) run(effect);
      continue;
    }
    if (!clock.runNext()) break;
  }
  const state = (await store.load(key))!;
  const hours = (lastMergeAt - START.getTime()) / 3_600_000;
  const ciHours = (ci.runs * sim.ciDurationMs) / 3_600_000;
  return {
    name: sim.name,
    merged: state.stats.merged,
    ejected: state.stats.ejected,
    ciRuns: ci.runs,
    simulatedHours: hours,
    mergesPerHour: state.stats.merged / Math.max(hours, 1e-9),
    mergesPerCiHour: state.stats.merged / Math.max(ciHours, 1e-9),
    ciRunsPerMerged: ci.runs / Math.max(state.stats.merged, 1),
    ownCiRuns: sim.prs,
    untestedHeads,
    toMergeRequestMs,
    landedOrder: landed,
  };
}
