import { getQueueFreeze } from './is-queue-frozen';
import type { QueueEffect, QueueEvent, QueueNotice } from './queue-event';
import { ACTIVE_BATCH_STATES, ACTIVE_ENTRY_STATES, type QueueBatch, type QueueEntry, type QueueState } from './queue-state';

export interface QueueTransition {
  state: QueueState;
  effects: QueueEffect[];
  notices: QueueNotice[];
}

/** Finished entries and batches kept for views and analytics; merges kept for percentiles. */
const KEEP_FINISHED = 200;
const KEEP_MERGES = 500;

interface Draft {
  s: QueueState;
  now: Date;
  effects: QueueEffect[];
  notices: QueueNotice[];
}

/**
 * The merge queue of one destination branch as a pure state machine: the next state and the
 * effects to run for one event at `now`. Effects are decided here exactly once (a batch lands only
 * on its transition to `landing`); repeating an event that already happened changes nothing, so
 * redelivered webhooks and retried jobs neither reorder nor duplicate. The version is not touched:
 * the store bumps it on save.
 */
export function applyQueueEvent(prev: QueueState, event: QueueEvent, now: Date): QueueTransition {
  const d: Draft = { s: structuredClone(prev), now, effects: [], notices: [] };
  handle(d, event);
  settle(d);
  prune(d.s);
  return { state: d.s, effects: d.effects, notices: d.notices };
}

/** Active entries in the order they will be tested and land: batches first, then lanes, then arrival. */
export function getQueueOrder(s: QueueState): QueueEntry[] {
  const batched = activeBatches(s).flatMap((b) => b.prIds.map((id) => activeEntry(s, id)).filter((e): e is QueueEntry => e !== undefined));
  return [...batched, ...waitingInOrder(s)];
}

function handle(d: Draft, event: QueueEvent): void {
  const { s } = d;
  switch (event.type) {
    case 'enqueue': {
      if (activeEntry(s, event.prId)) return void d.notices.push({ kind: 'already-queued', prId: event.prId });
      const lane = event.lane ?? s.settings.lanes[s.settings.lanes.length - 1] ?? 'default';
      if (!s.settings.lanes.includes(lane)) return void d.notices.push({ kind: 'unknown-lane', prId: event.prId, lane });
      const entry: QueueEntry = {
        prId: event.prId, lane, seq: s.nextSeq++, enqueuedAt: d.now.toISOString(), enqueuedBy: event.by, sourceCommit: event.sourceCommit,
        state: 'waiting', batchId: null, endedAt: null, reason: null,
      };
      s.entries.push(entry);
      // A PR that fails on its own fails every batch it is in: testing it costs a run and a bisection.
      if (event.ownBuildsFailed) return leave(d, entry, 'ejected', ownBuildsReason(event.sourceCommit, event.ownBuildsFailed));
      d.effects.push({ type: 'notify', prId: event.prId, kind: 'queued', reason: null });
      return;
    }
    case 'pr-builds-failed': {
      const entry = activeEntry(s, event.prId);
      if (!entry || entry.sourceCommit !== event.sourceCommit) return void d.notices.push({ kind: 'ignored', why: 'not the queued commit of a queued PR' });
      // A landing batch passed its CI already; the pre-land check reads the PR's builds itself.
      if (entry.batchId && batch(s, entry.batchId)?.state === 'landing') return;
      leave(d, entry, 'ejected', ownBuildsReason(event.sourceCommit, event.reason));
      return;
    }
    case 'dequeue': {
      const entry = activeEntry(s, event.prId);
      if (!entry) return void d.notices.push({ kind: 'not-queued', prId: event.prId });
      if (entry.batchId && batch(s, entry.batchId)?.state === 'landing') return void d.notices.push({ kind: 'already-landing', prId: event.prId });
      leave(d, entry, 'dequeued', event.reason ?? `Removed from the queue by ${event.by}.`);
      return;
    }
    case 'pr-updated': {
      const entry = activeEntry(s, event.prId);
      if (!entry || entry.sourceCommit === event.sourceCommit) return void d.notices.push({ kind: 'ignored', why: 'no new commit on a queued PR' });
      // A landing batch finds the new commit itself (the merge runner re-checks it) and says so.
      if (entry.batchId && batch(s, entry.batchId)?.state === 'landing') return;
      leave(d, entry, 'ejected', `A new commit (${event.sourceCommit.slice(0, 12)}) was pushed after the PR was queued; queue it again to test it.`);
      return;
    }
    case 'pr-closed': {
      const entry = activeEntry(s, event.prId);
      if (!entry) return void d.notices.push({ kind: 'ignored', why: 'the PR is not queued (already landed or left)' });
      if (entry.batchId && batch(s, entry.batchId)?.state === 'landing') return;
      leave(d, entry, 'dequeued', event.state === 'MERGED' ? 'Merged outside the queue.' : `The PR was ${event.state.toLowerCase()}.`);
      return;
    }
    case 'batch-built': {
      const b = batch(s, event.batchId);
      if (!b || b.state !== 'building') return void d.notices.push({ kind: 'ignored', why: 'batch not being built' });
      b.state = 'testing';
      b.commit = event.commit;
      s.stats.ciRuns += 1;
      return;
    }
    case 'batch-build-failed': {
      const b = batch(s, event.batchId);
      if (!b || b.state !== 'building') return void d.notices.push({ kind: 'ignored', why: 'batch not being built' });
      cancelFrom(d, b, event.reason);
      const culprit = event.prId === null ? undefined : activeEntry(s, event.prId);
      if (culprit) leave(d, culprit, 'ejected', `Could not be merged onto ${s.branch} together with the PRs ahead of it: ${event.reason}`);
      return;
    }
    case 'ci-result': {
      const b = batch(s, event.batchId);
      if (!b || b.state !== 'testing' || b.commit !== event.commit) return void d.notices.push({ kind: 'ignored', why: 'no batch testing this commit' });
      b.state = event.passed ? 'passed' : 'red';
      b.reason = event.reason ?? (event.passed ? null : 'A required check failed.');
      if (event.passed) {
        s.stats.batchesPassed += 1;
        if (b.retry) s.stats.flakyRetriesPassed += 1;
      } else s.stats.batchesFailed += 1;
      return;
    }
    case 'land-result': {
      const b = batch(s, event.batchId);
      if (!b || b.state !== 'landing' || b.decisionId !== event.decisionId) return void d.notices.push({ kind: 'ignored', why: 'no landing under this decision' });
      if (event.outcome === 'merged') return landed(d, b);
      b.state = 'cancelled';
      b.endedAt = d.now.toISOString();
      b.reason = event.reason;
      const later = activeBatches(s)[0];
      if (later) cancelFrom(d, later, `The batch ahead (${b.id}) did not land.`);
      for (const id of b.prIds) {
        const e = activeEntry(s, id);
        if (e) { e.state = 'waiting'; e.batchId = null; }
      }
      if (event.outcome === 'rejected') {
        const e = activeEntry(s, event.prId);
        if (e) leave(d, e, 'ejected', `The merge was refused: ${event.reason}`);
      }
      s.suspects = null;
      return;
    }
    case 'configure': {
      const next = { ...s.settings, ...event.settings };
      next.batchSize = Math.max(1, Math.floor(next.batchSize));
      next.depth = Math.max(1, Math.floor(next.depth));
      if (next.lanes.length === 0) next.lanes = ['default'];
      s.settings = next;
      const fallback = next.lanes[next.lanes.length - 1]!;
      for (const e of s.entries) if (isActive(e) && !next.lanes.includes(e.lane)) e.lane = fallback;
      return;
    }
    case 'tick':
      return;
    case 'resume': {
      for (const b of activeBatches(s)) {
        if (b.state === 'building') d.effects.push(buildEffect(s, b));
        if (b.state === 'landing' && b.commit && b.decisionId) d.effects.push({ type: 'land-batch', batchId: b.id, decisionId: b.decisionId, prIds: [...b.prIds], commit: b.commit });
      }
      return;
    }
  }
}

/** Act on the head of the queue (land it or handle its failure) until it waits, then start batches. */
function settle(d: Draft): void {
  const { s } = d;
  const freeze = getQueueFreeze(s.settings, s.branch, d.now);
  for (;;) {
    const head = activeBatches(s)[0];
    if (head?.state === 'passed' && !freeze.frozen && head.commit) {
      head.state = 'landing';
      head.decisionId = `${head.id}:land`;
      d.effects.push({ type: 'land-batch', batchId: head.id, decisionId: head.decisionId, prIds: [...head.prIds], commit: head.commit });
      continue;
    }
    if (head?.state === 'red') {
      headFailed(d, head);
      continue;
    }
    break;
  }
  if (s.settings.paused || freeze.frozen) return;
  const active = activeBatches(s);
  const suspects = s.suspects;
  if (suspects) {
    // Bisection: the failing set's first half alone, on the target's head.
    if (active.length === 0) active.push(createBatch(d, suspects.slice(0, Math.ceil(suspects.length / 2)), null, { bisect: true, retry: false }));
    // If that half passes, the one suspect left is the culprit (inferred on landing), so the queue
    // can go on speculating on top of the half without it; if the half fails, that is cancelled.
    const step = active.find((b) => b.bisect);
    if (!step || suspects.length - step.prIds.length !== 1) return;
  }
  while (active.length < s.settings.depth) {
    const last = active[active.length - 1];
    if (last && (last.state === 'red' || last.commit === null)) break;
    const next = waitingInOrder(s).filter((e) => !suspects?.includes(e.prId)).slice(0, s.settings.batchSize);
    if (next.length === 0) break;
    active.push(createBatch(d, next.map((e) => e.prId), last ?? null, { bisect: false, retry: false }));
  }
}

/** The head batch failed on the target's head: retry it once, eject a lone PR, or bisect. */
function headFailed(d: Draft, head: QueueBatch): void {
  const { s } = d;
  head.endedAt = d.now.toISOString();
  const later = activeBatches(s)[1];
  if (later) cancelFrom(d, later, `The batch ahead (${head.id}) failed.`);
  head.state = 'failed';
  const why = head.reason ?? 'A required check failed.';
  for (const id of head.prIds) {
    const e = activeEntry(s, id);
    if (e) { e.state = 'waiting'; e.batchId = null; }
  }
  if (s.settings.retryFailedBatchOnce && !head.retry && !head.bisect) {
    createBatch(d, head.prIds, null, { bisect: head.bisect, retry: true });
    return;
  }
  if (head.prIds.length === 1) {
    const e = activeEntry(s, head.prIds[0]!);
    s.suspects = null;
    if (e) leave(d, e, 'ejected', `Failed the required checks on top of ${s.branch}${head.bisect ? ' (bisection: tested alone)' : ''}: ${why}`);
    return;
  }
  s.suspects = [...head.prIds];
  s.suspectsReason = why;
}

function landed(d: Draft, b: QueueBatch): void {
  const { s } = d;
  b.state = 'merged';
  b.endedAt = d.now.toISOString();
  for (const id of b.prIds) {
    const e = activeEntry(s, id);
    if (!e) continue;
    e.state = 'merged';
    e.endedAt = d.now.toISOString();
    s.stats.merged += 1;
    s.stats.recentMerges.push({ prId: id, enqueuedAt: e.enqueuedAt, mergedAt: e.endedAt });
    d.effects.push({ type: 'notify', prId: id, kind: 'merged', reason: null });
  }
  if (b.bisect && s.suspects) {
    const rest = s.suspects.filter((id) => !b.prIds.includes(id));
    s.suspects = rest.length >= 2 ? rest : null;
    const culprit = rest.length === 1 ? activeEntry(s, rest[0]!) : undefined;
    // Deterministic checks: the set failed, the part ahead of it passed and landed, so the last one fails.
    const why = s.suspectsReason ?? 'A required check failed.';
    if (culprit) leave(d, culprit, 'ejected', `Fails the required checks on top of ${s.branch} together with the PRs that landed ahead of it (bisection: #${b.prIds.join(', #')} passed without it): ${why}`);
  }
}

function ownBuildsReason(commit: string, why: string): string {
  return `Its own builds failed on ${commit.slice(0, 12)} (${why}); the queue tests only PRs whose own builds do not fail.`;
}

/** Takes an active entry out of the queue, cancelling its batch and everything built on it. */
function leave(d: Draft, entry: QueueEntry, state: 'ejected' | 'dequeued', reason: string): void {
  const { s } = d;
  const b = entry.batchId ? batch(s, entry.batchId) : undefined;
  if (b && ACTIVE_BATCH_STATES.includes(b.state) && b.state !== 'landing') cancelFrom(d, b, `#${entry.prId} left the queue.`);
  if (s.suspects?.includes(entry.prId)) s.suspects = null;
  entry.state = state;
  entry.batchId = null;
  entry.endedAt = d.now.toISOString();
  entry.reason = reason;
  if (state === 'ejected') s.stats.ejected += 1;
  d.effects.push({ type: 'notify', prId: entry.prId, kind: state, reason });
}

/** Cancels `from` and every active batch after it; their PRs wait again, keeping their places. */
function cancelFrom(d: Draft, from: QueueBatch, reason: string): void {
  const { s } = d;
  const active = activeBatches(s);
  const start = active.indexOf(from);
  if (start < 0) return;
  for (const b of active.slice(start)) {
    if (b.state === 'landing') continue;
    b.state = 'cancelled';
    b.endedAt = d.now.toISOString();
    b.reason = reason;
    d.effects.push({ type: 'cancel-batch', batchId: b.id });
    for (const id of b.prIds) {
      const e = activeEntry(s, id);
      if (e && e.batchId === b.id) { e.state = 'waiting'; e.batchId = null; }
    }
  }
}

function createBatch(d: Draft, prIds: number[], parent: QueueBatch | null, kind: { bisect: boolean; retry: boolean }): QueueBatch {
  const { s } = d;
  const b: QueueBatch = {
    id: `b${s.nextBatch++}`, prIds: [...prIds], parentId: parent?.id ?? null, state: 'building', commit: null, retry: kind.retry, bisect: kind.bisect,
    createdAt: d.now.toISOString(), endedAt: null, reason: null, decisionId: null,
  };
  s.batches.push(b);
  for (const id of prIds) {
    const e = activeEntry(s, id);
    if (e) { e.state = 'batched'; e.batchId = b.id; }
  }
  d.effects.push(buildEffect(s, b));
  return b;
}

function buildEffect(s: QueueState, b: QueueBatch): QueueEffect {
  const parent = b.parentId ? batch(s, b.parentId) : undefined;
  const onParent = parent && parent.state !== 'merged' && parent.commit;
  return { type: 'build-batch', batchId: b.id, prIds: [...b.prIds], base: onParent ? { kind: 'batch', batchId: parent.id, commit: parent.commit! } : { kind: 'target' } };
}

function prune(s: QueueState): void {
  const finishedEntries = s.entries.filter((e) => !isActive(e));
  if (finishedEntries.length > KEEP_FINISHED) {
    const drop = new Set(finishedEntries.slice(0, finishedEntries.length - KEEP_FINISHED));
    s.entries = s.entries.filter((e) => !drop.has(e));
  }
  const finishedBatches = s.batches.filter((b) => !ACTIVE_BATCH_STATES.includes(b.state));
  if (finishedBatches.length > KEEP_FINISHED) {
    const drop = new Set(finishedBatches.slice(0, finishedBatches.length - KEEP_FINISHED));
    s.batches = s.batches.filter((b) => !drop.has(b));
  }
  if (s.stats.recentMerges.length > KEEP_MERGES) s.stats.recentMerges = s.stats.recentMerges.slice(-KEEP_MERGES);
}

function isActive(e: QueueEntry): boolean {
  return ACTIVE_ENTRY_STATES.includes(e.state);
}

function activeEntry(s: QueueState, prId: number): QueueEntry | undefined {
  return s.entries.find((e) => e.prId === prId && isActive(e));
}

function batch(s: QueueState, id: string): QueueBatch | undefined {
  return s.batches.find((b) => b.id === id);
}

function activeBatches(s: QueueState): QueueBatch[] {
  return s.batches.filter((b) => ACTIVE_BATCH_STATES.includes(b.state));
}

function waitingInOrder(s: QueueState): QueueEntry[] {
  const lane = (e: QueueEntry) => s.settings.lanes.indexOf(e.lane);
  return s.entries.filter((e) => e.state === 'waiting').sort((a, b) => lane(a) - lane(b) || a.seq - b.seq);
}
