import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { createFixedWindowStore } from './api/person-rate-limit';
import { TooManyRequestsError } from './api/too-many-requests-error';

/**
 * A limit per source address for calls that are unauthenticated until verified (a first
 * `installed` is signed with the secret it carries, so anyone can send one). The address is the
 * one Express computes under `trust proxy`, so a client cannot pick its own with X-Forwarded-For.
 */
export function createSourceRateLimit(deps: { limit: number; windowMs: number; now: () => Date }): RequestHandler {
  if (deps.limit <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: deps.windowMs,
    limit: deps.limit,
    store: createFixedWindowStore(deps.now, deps.windowMs),
    legacyHeaders: false,
    standardHeaders: false,
    // The trust proxy setting is Bosun's configuration (BOSUN_TRUST_PROXY), checked there.
    validate: { trustProxy: false, xForwardedForHeader: false },
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const ms = resetTime ? resetTime.getTime() - deps.now().getTime() : deps.windowMs;
      next(new TooManyRequestsError(Math.max(1, Math.ceil(ms / 1000))));
    },
  });
}
