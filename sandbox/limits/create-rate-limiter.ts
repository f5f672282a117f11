/**
 * Bitbucket's rolling-hour request budgets, per credential (an installation's clientKey, a user, a token).
 * Sources (https://support.atlassian.com/bitbucket-cloud/docs/api-request-limits/, REFERENCE.md §7):
 * - `repositories`: "Access to repository data", any /2.0/repositories/*: 1,000 per hour per user or consumer,
 *   rolling window (scaled up to 10,000 only for access tokens and Forge asApp, which the sandbox does not issue).
 * - `webhooks`: "Access to webhook data": 1,000 per hour across a workspace or repositories. Unverified: whether a
 *   repository hook call counts against both buckets (the sandbox counts it in both) and how Connect JWT calls are
 *   accounted (REFERENCE.md: "Connect JWT accounting is unsure"; the sandbox counts per installation).
 * - Retry-After: Bitbucket does not promise it (REFERENCE.md §7); the sandbox sends it unless told not to.
 */
export type RateLimitBucket = 'repositories' | 'webhooks';

export interface RateLimiter {
  /** Counts one request in `bucket` (default `repositories`); `ok: false` once the budget of the last hour is spent. */
  take(credential: string, bucket?: RateLimitBucket): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };
  /** The `repositories` bucket's hourly limit. */
  readonly limit: number;
  limitOf(bucket: RateLimitBucket): number;
  reset(): void;
}

export function createRateLimiter(opts: { limit: number; webhooksLimit?: number; windowMs?: number; now: () => Date }): RateLimiter {
  const windowMs = opts.windowMs ?? 3_600_000;
  const limits: Record<RateLimitBucket, number> = { repositories: opts.limit, webhooks: opts.webhooksLimit ?? 1000 };
  const hits = new Map<string, number[]>();
  return {
    limit: opts.limit,
    limitOf: (bucket) => limits[bucket],
    take(credential, bucket = 'repositories') {
      const limit = limits[bucket];
      const key = `${bucket}\u0000${credential}`;
      const t = opts.now().getTime();
      const recent = (hits.get(key) ?? []).filter((at) => at > t - windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        const oldest = recent[0] ?? t;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - t) / 1000)) };
      }
      recent.push(t);
      hits.set(key, recent);
      return { ok: true, remaining: limit - recent.length };
    },
    reset: () => hits.clear(),
  };
}
