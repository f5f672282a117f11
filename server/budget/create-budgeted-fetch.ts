import type { BudgetLane } from './budget-lane';
import type { RateBudget } from './create-rate-budget';
import { BudgetDeferredError } from './errors';

export interface BudgetedFetchOptions {
  budget: RateBudget;
  clientKey: string;
  credential: string;
  lane: BudgetLane;
  purpose: string;
  fetch: typeof fetch;
}

function toRetryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * A fetch that charges each request to the budget before sending it and pauses the credential's lower
 * lanes when Bitbucket answers 429. A lower lane that may not spend gets BudgetDeferredError without
 * a request being sent; people are never refused. Give it to a Bitbucket client as its fetch.
 */
export function createBudgetedFetch(opts: BudgetedFetchOptions): typeof fetch {
  return async (input, init) => {
    const decision = await opts.budget.trySpend({ clientKey: opts.clientKey, credential: opts.credential, lane: opts.lane, purpose: opts.purpose });
    if (!decision.ok) throw new BudgetDeferredError({ credential: opts.credential, lane: opts.lane, reason: decision.reason, retryAt: decision.retryAt });
    const res = await opts.fetch(input, init);
    if (res.status === 429) {
      await opts.budget.reportRateLimited({ clientKey: opts.clientKey, credential: opts.credential, retryAfterSeconds: toRetryAfterSeconds(res.headers.get('retry-after')) });
    }
    return res;
  };
}
