/** Base of the merge queue's errors; callers branch on the literal `code`. */
export abstract class MergeQueueError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The queue stayed contended after every retry (many workers on one branch at once). */
export class MergeQueueBusyError extends MergeQueueError {
  readonly code = 'MERGE_QUEUE_BUSY' as const;
}
