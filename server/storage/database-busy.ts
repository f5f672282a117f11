import { BaseError, ConnectionAcquireTimeoutError, ConnectionError, DatabaseError, TimeoutError } from 'sequelize';
import { RetryableError } from '../errors';

/** PostgreSQL's codes for "try again": serialization failure, deadlock, lock not available, statement timeout. */
const POSTGRES_RETRYABLE = new Set(['40001', '40P01', '55P03', '57014']);

/**
 * True for a database error that says "busy, try again" rather than "wrong": SQLite's SQLITE_BUSY
 * after Sequelize's timed retries (a TimeoutError), a pool with no free connection, PostgreSQL's
 * retryable codes, a connection that dropped. Callers answer 503 with Retry-After, never 500.
 */
export function isDatabaseBusyError(err: unknown): boolean {
  if (!(err instanceof BaseError)) return false;
  if (err instanceof TimeoutError || err instanceof ConnectionAcquireTimeoutError || err instanceof ConnectionError) return true;
  if (err instanceof DatabaseError) {
    const code = (err.parent as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && (POSTGRES_RETRYABLE.has(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')) return true;
  }
  return false;
}

/**
 * The same "busy, try again" answer from a driver error that did not pass through Sequelize (the hot paths in
 * raw-transaction-query.ts): PostgreSQL's retryable codes, SQLite's busy and locked.
 */
export function isRetryableDriverError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (POSTGRES_RETRYABLE.has(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED');
}

/** A busy database in the error model: 503 with Retry-After for a request, a retry soon for a job. */
export class DatabaseBusyError extends RetryableError<'DATABASE_BUSY'> {
  constructor(options?: ErrorOptions) {
    super('DATABASE_BUSY', 503, 1000, 'Bosun is busy storing other work; try again in a moment', options);
  }
}

/** Storage's classifier for the error model: Sequelize's "busy, try again" errors become DatabaseBusyError. */
export function toDatabaseBusyError(err: unknown): DatabaseBusyError | null {
  return isDatabaseBusyError(err) ? new DatabaseBusyError({ cause: err }) : null;
}
