/**
 * Bosun's one error model. Every error Bosun raises or maps carries these fields, so the worker
 * (retry or dead-letter), the executor (step outcome, audit entry) and the HTTP error mapper read
 * them instead of keeping their own tables of classes or codes.
 *
 * `httpStatus` is what Bosun answers; it is not named `status` because Bitbucket's errors already
 * use `status` for the status Bitbucket answered (a Bitbucket 500 is Bosun's 502).
 */
export interface ErrorFields {
  /** A literal, stable code (`BITBUCKET_RATE_LIMITED`, `DATABASE_BUSY`…). */
  readonly code: string;
  /** The HTTP status Bosun answers when this error ends a request. */
  readonly httpStatus: number;
  /** Trying again later, unchanged, may succeed. */
  readonly retryable: boolean;
  /** How long to wait before trying again, when known. */
  readonly retryAfterMs: number | null;
}

export type BosunError = Error & ErrorFields;

/** An error that carries the model's fields (any module's: they are read, never switched on by class). */
export function isBosunError(err: unknown): err is BosunError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<Record<keyof ErrorFields, unknown>>;
  return (
    typeof e.code === 'string' &&
    typeof e.httpStatus === 'number' &&
    typeof e.retryable === 'boolean' &&
    (e.retryAfterMs === null || (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0))
  );
}

/** Turns errors of libraries into the model; each adapter that knows a library offers one. */
export type ErrorClassifier = (err: unknown) => BosunError | null;

/** The model's view of any thrown value: its own fields, a classifier's answer, or null (a bug). */
export function toBosunError(err: unknown, classifiers: readonly ErrorClassifier[] = []): BosunError | null {
  if (isBosunError(err)) return err;
  for (const classify of classifiers) {
    const known = classify(err);
    if (known) return known;
  }
  return null;
}
