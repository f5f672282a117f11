import { BUDGET_LANES, type BudgetLane } from './budget-lane';
import type { BudgetStore } from './budget-store';
import { type BudgetPolicy, DEFAULT_BUDGET_POLICY, decideSpend, type SpendDecision, toExpiry, toMinute, WINDOW_MS } from './decide-spend';

export interface SpendRequest {
  clientKey: string;
  /** `installation` or `user:<uuid>`: Bitbucket counts each credential on its own. */
  credential: string;
  lane: BudgetLane;
  purpose: string;
  cost?: number;
}

export interface CredentialBudget {
  credential: string;
  limit: number;
  used: number;
  remaining: number;
  byLane: Record<BudgetLane, number>;
  byPurpose: Array<{ purpose: string; lane: BudgetLane; count: number }>;
  /** ISO time the lower lanes wait until, or null. */
  pausedUntil: string | null;
}

export interface TenantBudget {
  clientKey: string;
  credentials: CredentialBudget[];
}

export interface RateBudget {
  /** Decides and, when allowed, counts the spend. */
  trySpend(request: SpendRequest): Promise<SpendDecision>;
  /** Bitbucket answered 429: pause this credential's lower lanes until Retry-After (or the policy's default). */
  reportRateLimited(input: { clientKey: string; credential: string; retryAfterSeconds: number | null }): Promise<Date>;
  /** What each credential of the tenant has spent in the rolling hour, by lane and by purpose. */
  load(clientKey: string): Promise<TenantBudget>;
  readonly policy: BudgetPolicy;
}

/** The rate budget over a shared store: every instance reads and counts the same rows. */
export function createRateBudget(deps: { store: BudgetStore; now: () => Date; policy?: BudgetPolicy }): RateBudget {
  const policy = deps.policy ?? DEFAULT_BUDGET_POLICY;
  const { store, now } = deps;
  const sinceMinute = (at: Date) => toMinute(new Date(at.getTime() - WINDOW_MS)) - 1;

  return {
    policy,
    async trySpend(request) {
      const at = now();
      const cost = request.cost ?? 1;
      const [usage, pauses] = await Promise.all([
        store.loadUsage(request.clientKey, sinceMinute(at), request.credential),
        request.lane === 'people' ? Promise.resolve([]) : store.loadPauses(request.clientKey, request.credential),
      ]);
      const byMinute = new Map<number, number>();
      for (const row of usage) byMinute.set(row.minute, (byMinute.get(row.minute) ?? 0) + row.count);
      const pausedUntil = pauses.reduce<Date | null>((latest, p) => (!latest || p.until > latest ? p.until : latest), null);
      const decision = decideSpend({ buckets: [...byMinute].map(([minute, count]) => ({ minute, count })), pausedUntil }, request.lane, cost, at, policy);
      if (decision.ok) {
        await store.addUsage({ clientKey: request.clientKey, credential: request.credential, lane: request.lane, purpose: request.purpose, minute: toMinute(at), count: cost });
      }
      return decision;
    },
    async reportRateLimited(input) {
      const waitMs = input.retryAfterSeconds !== null && input.retryAfterSeconds > 0 ? input.retryAfterSeconds * 1000 : policy.defaultPauseMs;
      const until = new Date(now().getTime() + waitMs);
      await store.ensurePause({ clientKey: input.clientKey, credential: input.credential, until, reason: '429' });
      return until;
    },
    async load(clientKey) {
      const at = now();
      const t = at.getTime();
      const [usage, pauses] = await Promise.all([store.loadUsage(clientKey, sinceMinute(at)), store.loadPauses(clientKey)]);
      const byCredential = new Map<string, CredentialBudget>();
      const entry = (credential: string): CredentialBudget => {
        const found = byCredential.get(credential);
        if (found) return found;
        const created: CredentialBudget = {
          credential, limit: policy.limitPerHour, used: 0, remaining: policy.limitPerHour,
          byLane: Object.fromEntries(BUDGET_LANES.map((l) => [l, 0])) as Record<BudgetLane, number>, byPurpose: [], pausedUntil: null,
        };
        byCredential.set(credential, created);
        return created;
      };
      for (const row of usage) {
        if (toExpiry(row.minute) <= t) continue;
        const e = entry(row.credential);
        e.used += row.count;
        e.byLane[row.lane] += row.count;
        const purpose = e.byPurpose.find((p) => p.purpose === row.purpose && p.lane === row.lane);
        if (purpose) purpose.count += row.count;
        else e.byPurpose.push({ purpose: row.purpose, lane: row.lane, count: row.count });
      }
      for (const p of pauses) {
        if (p.until.getTime() <= t) continue;
        const e = entry(p.credential);
        if (!e.pausedUntil || p.until.toISOString() > e.pausedUntil) e.pausedUntil = p.until.toISOString();
      }
      const credentials = [...byCredential.values()]
        .map((c) => ({ ...c, remaining: Math.max(0, c.limit - c.used), byPurpose: c.byPurpose.sort((a, b) => b.count - a.count) }))
        .sort((a, b) => a.credential.localeCompare(b.credential));
      return { clientKey, credentials };
    },
  };
}
