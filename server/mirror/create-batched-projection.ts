import type { MirrorStore } from './mirror-store';
import { applyWebhookEvents } from './apply-webhook-event';

export interface WebhookForProjection {
  clientKey: string;
  event: string;
  data: unknown;
}

export interface BatchedProjection {
  /** Resolves once this webhook's state is in the mirror (or its projection failed and was logged). */
  project(input: WebhookForProjection): Promise<void>;
  /** Resolves once every webhook handed over before this call is projected (later ones are not waited for). */
  idle(): Promise<void>;
}

interface Pending {
  input: WebhookForProjection;
  updatedOn: number;
}

const asRecord = (value: unknown): Record<string, unknown> | null => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null);
const toTime = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) || 0 : 0);

/**
 * What one webhook changes in the mirror, so that a burst about the same pull request (or the same
 * status of one commit) is projected once, from the snapshot with the newest `updated_on`. Anything
 * else gets a key of its own.
 */
function toCoalescingKey(input: WebhookForProjection, seq: number): { key: string; updatedOn: number } {
  const data = asRecord(input.data);
  const repo = asRecord(data?.repository)?.uuid;
  const pr = asRecord(data?.pullrequest);
  if (input.event.startsWith('pullrequest:') && typeof repo === 'string' && pr && typeof pr.id === 'number') {
    return { key: `${input.clientKey}\npr\n${repo}\n${pr.id}`, updatedOn: toTime(pr.updated_on) };
  }
  const status = asRecord(data?.commit_status);
  const hash = asRecord(status?.commit)?.hash;
  if (status && typeof repo === 'string' && typeof hash === 'string' && typeof status.key === 'string') {
    return { key: `${input.clientKey}\nstatus\n${repo}\n${hash}\n${status.key}`, updatedOn: toTime(status.updated_on) };
  }
  return { key: `other\n${seq}`, updatedOn: 0 };
}

/**
 * How long a batch collects webhooks before it is written. Each batch is one statement and one commit,
 * whatever its size: with batches cut as soon as the previous one was written there were as many as
 * intake batches (one per ~8 deliveries under load). 10 ms cut the CPU per delivery of the server and
 * PostgreSQL together by ~5% (closed loop of 32, bench/webhook-intake.ts's deliveries, 2 paired runs),
 * and views wait for what is pending first (idle()), so none reads a mirror older than its request.
 */
const PROJECTION_WINDOW_MS = 10;

/**
 * Projects webhooks onto the mirror in batches, like the intake's group commit: webhooks that arrive
 * while a batch is being written wait for the next one, and a batch writes each pull request (or
 * status) once. Without it every delivery paid its own reads and writes before its 2xx, and on
 * SQLite, where writes take turns, intake fell from ~2,000/s to ~330/s with a p99 over a second.
 */
export function createBatchedProjection(deps: {
  store: MirrorStore;
  now: () => Date;
  onError: (err: unknown, input: WebhookForProjection) => void;
  /** A tenant uninstalled since its webhook was acknowledged gets no rows written after its purge. */
  isInstalled?: (clientKey: string) => Promise<boolean>;
}): BatchedProjection {
  let pending = new Map<string, Pending>();
  let waiters: Array<() => void> = [];
  let running: Promise<void> | null = null;
  let latest: Promise<void> = Promise.resolve();
  let seq = 0;

  const flush = async () => {
    while (pending.size > 0) {
      const batch = [...pending.values()];
      const done = waiters;
      pending = new Map();
      waiters = [];
      const installed = new Map<string, boolean>();
      const inputs: WebhookForProjection[] = [];
      for (const { input } of batch) {
        try {
          if (deps.isInstalled) {
            if (!installed.has(input.clientKey)) installed.set(input.clientKey, await deps.isInstalled(input.clientKey));
            if (!installed.get(input.clientKey)) continue;
          }
          inputs.push(input);
        } catch (err) {
          deps.onError(err, input);
        }
      }
      // The batch's pull requests and statuses in one write (one statement on PostgreSQL, one transaction on SQLite).
      await applyWebhookEvents(deps.store, inputs, deps.now(), deps.onError);
      for (const wake of done) wake();
    }
    running = null;
  };

  return {
    project(input) {
      const { key, updatedOn } = toCoalescingKey(input, seq++);
      const earlier = pending.get(key);
      // The newest snapshot wins, whatever order the deliveries came in.
      if (!earlier || updatedOn >= earlier.updatedOn) pending.set(key, { input, updatedOn });
      const done = new Promise<void>((resolve) => waiters.push(resolve));
      latest = done;
      running ??= new Promise<void>((resolve) => setTimeout(resolve, PROJECTION_WINDOW_MS)).then(flush);
      return done;
    },
    // Batches are written in order, so the last one handed over is the last to wait for.
    idle: () => latest,
  };
}
