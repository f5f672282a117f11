import { getQueueOrder } from './apply-queue-event';
import { getQueueFreeze } from './is-queue-frozen';
import { ACTIVE_BATCH_STATES, type QueueBatchState, type QueueState } from './queue-state';

export interface QueueAnalytics {
  /** Enqueue to merge of recent merges, in milliseconds (null without merges). */
  timeInQueueP50Ms: number | null;
  timeInQueueP95Ms: number | null;
  /** Merges in the last hour before `now`. */
  mergesLastHour: number;
  /** Merges per hour over the span of recent merges (null with fewer than two). */
  mergesPerHour: number | null;
  ciRunsPerMergedPr: number | null;
  /** Batches whose CI passed among those whose CI answered. */
  batchSuccessRate: number | null;
}

export interface QueueSummary {
  repository: string;
  branch: string;
  freeze: { frozen: boolean; until: string | null; reason: string | null };
  paused: boolean;
  settings: { batchSize: number; depth: number; retryFailedBatchOnce: boolean; lanes: string[] };
  entries: Array<{ prId: number; position: number; lane: string; state: 'waiting' | 'batched'; batchId: string | null; enqueuedAt: string; etaAt: string | null }>;
  batches: Array<{ id: string; prIds: number[]; state: QueueBatchState; commit: string | null; createdAt: string; retry: boolean; bisect: boolean }>;
  /** The last finished batches (newest first), with why they ended. */
  recentBatches: Array<{ id: string; prIds: number[]; state: QueueBatchState; endedAt: string | null; reason: string | null }>;
  /** Recently ejected or dequeued PRs with their reasons. */
  recentlyLeft: Array<{ prId: number; state: 'ejected' | 'dequeued'; reason: string | null; endedAt: string | null }>;
  analytics: QueueAnalytics;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/**
 * What the PR panel, the repository dashboard and the API show of a queue: order with positions
 * and ETAs, batches, recent outcomes and analytics. ETAs assume each batch takes as long as the
 * median of recent merged batches (`defaultCycleMs` before there are any) and `depth` run at once.
 */
export function summarizeQueue(s: QueueState, now: Date, options: { defaultCycleMs?: number } = {}): QueueSummary {
  const freeze = getQueueFreeze(s.settings, s.branch, now);
  const merged = s.batches.filter((b) => b.state === 'merged' && b.endedAt);
  const cycles = merged.map((b) => Date.parse(b.endedAt!) - Date.parse(b.createdAt)).sort((a, b) => a - b);
  const cycleMs = cycles.length > 0 ? percentile(cycles, 0.5) : options.defaultCycleMs ?? 30 * 60_000;
  const order = getQueueOrder(s);
  const active = s.batches.filter((b) => ACTIVE_BATCH_STATES.includes(b.state));
  const start = Math.max(now.getTime(), freeze.until?.getTime() ?? 0);
  let waitingIndex = 0;
  const entries = order.map((e, position) => {
    // Batches ahead: its own batch's place, or the running ones plus the full batches of waiting PRs ahead of it.
    const batchIndex = e.batchId ? active.findIndex((b) => b.id === e.batchId) : active.length + Math.floor(waitingIndex++ / s.settings.batchSize);
    const rounds = Math.floor(batchIndex / s.settings.depth) + 1;
    const eta = freeze.frozen && !freeze.until ? null : new Date(start + rounds * cycleMs).toISOString();
    return { prId: e.prId, position: position + 1, lane: e.lane, state: e.state as 'waiting' | 'batched', batchId: e.batchId, enqueuedAt: e.enqueuedAt, etaAt: eta };
  });
  const times = s.stats.recentMerges.map((m) => Date.parse(m.mergedAt) - Date.parse(m.enqueuedAt)).sort((a, b) => a - b);
  const mergedAt = s.stats.recentMerges.map((m) => Date.parse(m.mergedAt)).sort((a, b) => a - b);
  const spanHours = mergedAt.length >= 2 ? (mergedAt[mergedAt.length - 1]! - mergedAt[0]!) / 3_600_000 : 0;
  const answered = s.stats.batchesPassed + s.stats.batchesFailed;
  return {
    repository: s.repository,
    branch: s.branch,
    freeze: { frozen: freeze.frozen, until: freeze.until?.toISOString() ?? null, reason: freeze.reason },
    paused: s.settings.paused,
    settings: { batchSize: s.settings.batchSize, depth: s.settings.depth, retryFailedBatchOnce: s.settings.retryFailedBatchOnce, lanes: [...s.settings.lanes] },
    entries,
    batches: active.map((b) => ({ id: b.id, prIds: [...b.prIds], state: b.state, commit: b.commit, createdAt: b.createdAt, retry: b.retry, bisect: b.bisect })),
    recentBatches: s.batches.filter((b) => !ACTIVE_BATCH_STATES.includes(b.state)).slice(-10).reverse()
      .map((b) => ({ id: b.id, prIds: [...b.prIds], state: b.state, endedAt: b.endedAt, reason: b.reason })),
    recentlyLeft: s.entries.filter((e) => e.state === 'ejected' || e.state === 'dequeued').slice(-10).reverse()
      .map((e) => ({ prId: e.prId, state: e.state as 'ejected' | 'dequeued', reason: e.reason, endedAt: e.endedAt })),
    analytics: {
      timeInQueueP50Ms: times.length > 0 ? percentile(times, 0.5) : null,
      timeInQueueP95Ms: times.length > 0 ? percentile(times, 0.95) : null,
      mergesLastHour: mergedAt.filter((t) => t > now.getTime() - 3_600_000 && t <= now.getTime()).length,
      mergesPerHour: spanHours > 0 ? (mergedAt.length - 1) / spanHours : null,
      ciRunsPerMergedPr: s.stats.merged > 0 ? s.stats.ciRuns / s.stats.merged : null,
      batchSuccessRate: answered > 0 ? s.stats.batchesPassed / answered : null,
    },
  };
}
