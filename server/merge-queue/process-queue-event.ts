import { applyQueueEvent, type QueueTransition } from './apply-queue-event';
import { MergeQueueBusyError } from './errors';
import type { MergeQueueStore } from './merge-queue-store';
import type { QueueEvent } from './queue-event';
import { createQueueState, type QueueKey, type QueueSettings } from './queue-state';

export interface ProcessQueueEventOptions {
  store: MergeQueueStore;
  now: () => Date;
  /** Settings for a branch whose queue does not exist yet (policy defaults). */
  defaults?: Partial<QueueSettings> | undefined;
  /** Compare-and-set rounds before giving up (each is a reload and a pure re-apply). */
  maxAttempts?: number | undefined;
}

/**
 * Applies one event to a stored queue: load, apply, save if nobody saved in between, else reload
 * and apply again. Only the saved transition's effects are returned, so two workers handling the
 * same CI result produce one landing between them.
 */
export async function processQueueEvent(key: QueueKey, event: QueueEvent, options: ProcessQueueEventOptions): Promise<QueueTransition & { at: Date }> {
  const attempts = options.maxAttempts ?? 20;
  for (let i = 0; i < attempts; i++) {
    const current = (await options.store.load(key)) ?? createQueueState(key, options.defaults);
    const at = options.now();
    const next = applyQueueEvent(current, event, at);
    next.state.version = current.version + 1;
    // `at`: when the saved transition was decided, which orders the notices it sends (sticky comment).
    if (await options.store.save(next.state, current.version)) return { ...next, at };
  }
  throw new MergeQueueBusyError(`The merge queue of ${key.repository}:${key.branch} stayed contended for ${attempts} attempts`);
}
