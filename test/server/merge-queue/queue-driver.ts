import { applyQueueEvent, type QueueEffect, type QueueEvent, type QueueState } from '../../../server/merge-queue';

/**
 * A tiny world around the pure queue for tests: builds become commits whose content is the landed
 * PRs plus the batch chain, CI decides by `fails(content)`, landings merge. Everything the queue
 * asked for is recorded, so tests assert on what landed and on every commit CI saw.
 */
export interface QueueWorld {
  state: QueueState;
  effects: QueueEffect[];
  landed: number[];
  /** Every target head the queue produced, with the content it had: all must have been tested. */
  heads: Array<{ commit: string; content: number[]; tested: boolean }>;
  tested: Map<string, { content: number[]; passed: boolean }>;
  notices: Array<{ kind: string }>;
}

export function createWorld(state: QueueState): QueueWorld {
  return { state, effects: [], landed: [], heads: [], tested: new Map(), notices: [] };
}

export function step(w: QueueWorld, event: QueueEvent, now = new Date('2026-12-01T10:00:00.000Z')): QueueEffect[] {
  const t = applyQueueEvent(w.state, event, now);
  w.state = t.state;
  w.effects.push(...t.effects);
  w.notices.push(...t.notices);
  return t.effects;
}

/**
 * Answers every effect until the queue is quiet: builds are built, CI runs (per `fails`, or
 * `ciAnswers` for a batch's nth run), landings merge. `flakyOnce` fails the first run of a content.
 */
export function drive(
  w: QueueWorld,
  first: QueueEvent | null,
  opts: { fails?: (content: number[]) => boolean; flakyFirstRun?: Set<string>; now?: Date; holdCi?: boolean } = {},
): void {
  const pending: QueueEffect[] = first ? step(w, first, opts.now) : [];
  const contents = new Map<string, number[]>();
  let guard = 0;
  while (pending.length > 0) {
    if (guard++ > 10_000) throw new Error('queue did not settle');
    const e = pending.shift()!;
    if (e.type === 'build-batch') {
      const base = e.base.kind === 'target' ? [...w.landed] : contents.get(e.base.batchId) ?? [];
      const content = [...base, ...e.prIds];
      const commit = `c-${e.batchId}`;
      contents.set(e.batchId, content);
      pending.push(...step(w, { type: 'batch-built', batchId: e.batchId, commit }, opts.now));
      if (opts.holdCi) continue;
      const key = content.join(',');
      const flaky = opts.flakyFirstRun?.has(key) ?? false;
      if (flaky) opts.flakyFirstRun!.delete(key);
      const passed = !flaky && !(opts.fails?.(content) ?? false);
      w.tested.set(commit, { content, passed });
      pending.push(...step(w, { type: 'ci-result', batchId: e.batchId, commit, passed, reason: passed ? undefined : 'build failed' }, opts.now));
    } else if (e.type === 'land-batch') {
      landBatch(w, e);
      pending.push(...step(w, { type: 'land-result', batchId: e.batchId, decisionId: e.decisionId, outcome: 'merged' }, opts.now));
    }
  }
}

export function landBatch(w: QueueWorld, e: Extract<QueueEffect, { type: 'land-batch' }>): void {
  w.landed.push(...e.prIds);
  const seen = w.tested.get(e.commit);
  w.heads.push({ commit: e.commit, content: [...w.landed], tested: seen !== undefined && seen.passed && seen.content.join(',') === w.landed.join(',') });
}

export const ofType = <T extends QueueEffect['type']>(effects: QueueEffect[], type: T) =>
  effects.filter((e): e is Extract<QueueEffect, { type: T }> => e.type === type);
