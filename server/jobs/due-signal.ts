/**
 * "A job is due now", within one process: a queue raises it after it enqueued a job that may run at once,
 * and a worker of the same process listening to it claims without waiting for its next poll. Only a
 * hint: claims stay atomic in the queue, so waking early never runs a job twice, and workers in other
 * processes (which never hear it) find the job on their next poll.
 */
export interface DueSignal {
  raise(): void;
  /** Returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export function createDueSignal(): DueSignal {
  const listeners = new Set<() => void>();
  return {
    raise() {
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
