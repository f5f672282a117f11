/** Retry policy: which failures are worth another attempt and how long to wait. */

export interface RetryPolicy {
  /** Attempts after the first one. */
  maxRetries: number;
  /** First backoff ceiling; doubles per attempt. */
  baseDelayMs: number;
  /** Ceiling for one backoff (Retry-After may ask for more; the total budget still applies). */
  maxDelayMs: number;
  /** No retry is started if it would end after this much time since the first attempt. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxTotalMs: 30_000,
});

/** Statuses that say "try again later" rather than "you are wrong". */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * Exponential backoff with full jitter (a uniform pick in [0, cap)), which spreads the
 * retries of many tenants hitting the same outage.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function computeBackoffMs(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * cap);
}

/** Node's fetch (undici) puts the socket error code on `cause`; walk the chain to find it. */
function findErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * True when a network error proves the request never reached Bitbucket, which is the only
 * case where a non-idempotent POST may be sent again.
 */
export function isUnsentNetworkError(error: unknown): boolean {
  const code = findErrorCode(error);
  return code === 'ECONNREFUSED' || code === 'EAI_AGAIN' || code === 'ENOTFOUND';
}
