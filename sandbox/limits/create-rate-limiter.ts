/**
 * Bitbucket's rolling-hour request budget, per credential (an installation's clientKey, a user, a token).
 * https://support.atlassian.com/bitbucket-cloud/docs/api-request-limits/
 */
export interface RateLimiter {
  /** Counts one request; `ok: false` once the budget of the last hour is spent. */
  take(credential: string): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };
  readonly limit: number;
  reset(): void;
}

export function createRateLimiter(opts: { limit: number; windowMs?: number; now: () => Date }): RateLimiter {
  const windowMs = opts.windowMs ?? 3_600_000;
  const hits = new Map<string, number[]>();
  return {
    limit: opts.limit,
    take(credential) {
      const t = opts.now().getTime();
      const recent = (hits.get(credential) ?? []).filter((at) => at > t - windowMs);
      if (recent.length >= opts.limit) {
        hits.set(credential, recent);
        const oldest = recent[0] ?? t;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - t) / 1000)) };
      }
      recent.push(t);
      hits.set(credential, recent);
      return { ok: true, remaining: opts.limit - recent.length };
    },
    reset: () => hits.clear(),
  };
}
