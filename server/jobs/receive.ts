import { PermanentError } from '../errors';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import type { Job } from './job-queue';
import type { JobHandler } from './worker';

/** A trigger fed straight to the handlers, as the worker would after claiming its job. */
export interface AutomationEvent {
  type: string;
  clientKey: string;
  payload: unknown;
  /** Defaults to a fresh id. */
  id?: string;
}

export interface Receiver {
  /** Runs the event's handler now, without HTTP or a queue (probot's `receive`): tests feed handlers this way. */
  receive(event: AutomationEvent): Promise<unknown>;
}

export class UnknownEventTypeError extends PermanentError<'UNKNOWN_EVENT_TYPE'> {
  constructor(type: string) {
    super('UNKNOWN_EVENT_TYPE', 400, `No handler for ${type}`);
  }
}

export function createReceiver(handlers: Record<string, JobHandler>, deps: { logger: Logger; now: () => Date }): Receiver {
  return {
    async receive(event) {
      const handler = Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
      if (!handler) throw new UnknownEventTypeError(event.type);
      const now = deps.now();
      const job: Job = {
        id: event.id ?? randomUUID(),
        clientKey: event.clientKey,
        type: event.type,
        payload: event.payload,
        attempts: 1,
        maxAttempts: 1,
        priority: 0,
        state: 'running',
        dedupeKey: null,
        runAt: now,
        lockedBy: 'receive',
        leaseExpiresAt: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        result: null,
      };
      return handler(job, { signal: new AbortController().signal, logger: deps.logger, heartbeat: async () => {} });
    },
  };
}
