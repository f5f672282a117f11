import { AsyncLocalStorage } from 'node:async_hooks';
import type { BudgetLane } from './budget-lane';
import type { RateBudget } from './create-rate-budget';
import { BudgetDeferredError } from './errors';

/** Whom the requests made inside a scope are charged to. */
export interface BudgetCharge {
  clientKey: string;
  /** `installation` or `user:<uuid>`. */
  credential: string;
  lane: BudgetLane;
  purpose: string;
}

export interface BudgetScope {
  /**
   * A fetch that charges each Bitbucket REST request (a `/2.0/` path) made inside a bound client's
   * calls to that client's charge, and pauses the lower lanes on a 429. Outside a scope, and for
   * anything else (token endpoints), it is the inner fetch unchanged.
   */
  wrapFetch(inner: typeof fetch): typeof fetch;
  /**
   * The same object whose every method call (nested namespaces, promises and async iterators
   * included) runs inside the charge's scope. Give it a client built over {@link wrapFetch}.
   */
  bind<T extends object>(target: T, charge: BudgetCharge): T;
  /** Runs `fn` (a job handler) with `lane` as the lane of the clients bound inside it that ask {@link currentLane}. */
  runInLane<R>(lane: BudgetLane, fn: () => R): R;
  /** The lane set by the innermost {@link runInLane}, or null. */
  currentLane(): BudgetLane | null;
}

function toRetryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function toUrl(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

const isRestRequest = (url: string): boolean => {
  try {
    return new URL(url).pathname.includes('/2.0/');
  } catch {
    return false;
  }
};

/**
 * Charges the clients the agent acts with (the installation's and each connected user's) without
 * rebuilding them per call: client factories share their per-tenant limiter and token cache, so
 * the charge travels with the call (AsyncLocalStorage), not with the client's fetch.
 */
export function createBudgetScope(deps: { budget: RateBudget }): BudgetScope {
  const current = new AsyncLocalStorage<BudgetCharge>();
  const laneHint = new AsyncLocalStorage<BudgetLane>();

  const wrapIterator = <I extends AsyncIterator<unknown>>(iterator: I, charge: BudgetCharge): I =>
    new Proxy(iterator, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        if (key === Symbol.asyncIterator) return () => wrapIterator(iterator, charge);
        return (...args: unknown[]) => current.run(charge, () => (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });

  const bindValue = (value: unknown, owner: object, charge: BudgetCharge, seen: WeakMap<object, object>): unknown => {
    if (typeof value === 'function') {
      return (...args: unknown[]) => {
        const result = current.run(charge, () => (value as (...a: unknown[]) => unknown).apply(owner, args));
        const isIterator = result !== null && typeof result === 'object' && Symbol.asyncIterator in result && !(result instanceof Promise);
        return isIterator ? wrapIterator(result as unknown as AsyncIterator<unknown>, charge) : result;
      };
    }
    if (value !== null && typeof value === 'object' && !(value instanceof Promise) && !(value instanceof Date)) return bindObject(value, charge, seen);
    return value;
  };

  const bindObject = <T extends object>(target: T, charge: BudgetCharge, seen: WeakMap<object, object>): T => {
    const known = seen.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(obj, key, receiver) {
        return bindValue(Reflect.get(obj, key, receiver), obj, charge, seen);
      },
    });
    seen.set(target, proxy);
    return proxy;
  };

  return {
    wrapFetch(inner) {
      return async (input, init) => {
        const charge = current.getStore();
        if (!charge || !isRestRequest(toUrl(input))) return inner(input, init);
        const decision = await deps.budget.trySpend(charge);
        if (!decision.ok) throw new BudgetDeferredError({ credential: charge.credential, lane: charge.lane, reason: decision.reason, retryAt: decision.retryAt });
        const res = await inner(input, init);
        if (res.status === 429) {
          await deps.budget.reportRateLimited({ clientKey: charge.clientKey, credential: charge.credential, retryAfterSeconds: toRetryAfterSeconds(res.headers.get('retry-after')) });
        }
        return res;
      };
    },
    bind(target, charge) {
      return bindObject(target, charge, new WeakMap());
    },
    runInLane(lane, fn) {
      return laneHint.run(lane, fn);
    },
    currentLane() {
      return laneHint.getStore() ?? null;
    },
  };
}
