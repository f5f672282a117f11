import type { Request, Response } from 'express';
import { rateLimit, type IncrementResponse, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from './too-many-requests-error';

export interface PersonRateLimit {
  /** Counts one state-changing request by this person; throws TooManyRequestsError past the limit. */
  take(req: Request, res: Response, person: { clientKey: string; userKey: string }): Promise<void>;
}

export interface PersonRateLimitDeps {
  /** Requests per window per person; 0 turns the limit off. */
  limit: number;
  windowMs: number;
  now: () => Date;
}

/** Past this many people, windows that ended are swept on the next new window. */
const SWEEP_AT = 10_000;
const PERSON_KEY = Symbol('bosun.rateLimitPerson');

/** A fixed window per key on the injected clock (express-rate-limit's MemoryStore reads Date.now). */
export function createFixedWindowStore(now: () => Date, windowMs: number): Store {
  const windows = new Map<string, { hits: number; resetAt: number }>();
  const current = (key: string, at: number) => {
    const w = windows.get(key);
    return w && w.resetAt > at ? w : undefined;
  };
  return {
    localKeys: true,
    get(key) {
      const w = current(key, now().getTime());
      return w ? { totalHits: w.hits, resetTime: new Date(w.resetAt) } : undefined;
    },
    increment(key): IncrementResponse {
      const at = now().getTime();
      let w = current(key, at);
      if (!w) {
        if (windows.size >= SWEEP_AT) for (const [k, old] of windows) if (old.resetAt <= at) windows.delete(k);
        w = { hits: 0, resetAt: at + windowMs };
        windows.set(key, w);
      }
      w.hits += 1;
      return { totalHits: w.hits, resetTime: new Date(w.resetAt) };
    },
    decrement(key) {
      const w = windows.get(key);
      if (w && w.hits > 0) w.hits -= 1;
    },
    resetKey(key) {
      windows.delete(key);
    },
    resetAll() {
      windows.clear();
    },
  };
}

/**
 * Per-person limit on state-changing API calls (tenant + user from the verified session, never an
 * IP: everyone behind one proxy is not one person), so one member cannot flood the audit log.
 */
export function createPersonRateLimit(deps: PersonRateLimitDeps): PersonRateLimit {
  if (deps.limit <= 0) return { take: async () => {} };
  const store = createFixedWindowStore(deps.now, deps.windowMs);
  const keyOf = (res: Response): string => {
    const person = (res.locals as Record<symbol, unknown>)[PERSON_KEY];
    if (typeof person !== 'string') throw new Error('rate limit: no person on this request');
    return person;
  };
  const middleware = rateLimit({
    windowMs: deps.windowMs,
    limit: deps.limit,
    store,
    keyGenerator: (_req, res) => keyOf(res),
    // Retry-After is set by the error mapper, from the injected clock.
    legacyHeaders: false,
    standardHeaders: false,
    // The key is a person, not an IP; Bosun trusts its proxy on purpose.
    validate: { trustProxy: false, xForwardedForHeader: false, forwardedHeader: false, ip: false, keyGeneratorIpFallback: false },
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const ms = resetTime ? resetTime.getTime() - deps.now().getTime() : deps.windowMs;
      next(new TooManyRequestsError(Math.max(1, Math.ceil(ms / 1000))));
    },
  });
  return {
    take: (req, res, person) =>
      new Promise<void>((resolve, reject) => {
        (res.locals as Record<symbol, unknown>)[PERSON_KEY] = `${person.clientKey}\n${person.userKey}`;
        void middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
      }),
  };
}
