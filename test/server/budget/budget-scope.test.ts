import { describe, expect, it } from 'vitest';
import { BudgetDeferredError, createBudgetScope, createMemoryBudgetStore, createRateBudget } from '../../../server/budget';
import { isBosunError } from '../../../server/errors';

const API = 'https://api.bitbucket.org/2.0/repositories/acme/web';

function setup(status = 200, headers: Record<string, string> = {}) {
  const clock = new Date('2026-03-01T12:00:00.000Z');
  const budget = createRateBudget({ store: createMemoryBudgetStore(), now: () => clock, policy: { limitPerHour: 10, reserve: { people: 0, automation: 2, sync: 5 }, defaultPauseMs: 60_000 } });
  const scope = createBudgetScope({ budget });
  const sent: string[] = [];
  const fetch = scope.wrapFetch(async (input) => {
    sent.push(String(input));
    return new Response('{}', { status, headers });
  });
  // A client shaped like ours: nested namespaces, async methods, and a paginating async iterator.
  const client = {
    repositories: {
      get: async () => (await fetch(API)).status,
      async *listPages() {
        for (let page = 1; page <= 3; page++) yield (await fetch(`${API}/pullrequests?page=${page}`)).status;
      },
    },
    token: async () => (await fetch('https://bitbucket.org/site/oauth2/access_token')).status,
  };
  const used = async (lane: 'people' | 'automation' | 'sync') => (await budget.load('t1')).credentials.find((c) => c.credential === 'installation')?.byLane[lane] ?? 0;
  return { scope, client, sent, used, budget };
}

describe('budget scope: the agent\'s clients charged per call', () => {
  it('charges every REST request a bound client makes, through nested namespaces and paginated iterators', async () => {
    const { scope, client, used } = setup();
    const bound = scope.bind(client, { clientKey: 't1', credential: 'installation', lane: 'people', purpose: 'agent' });
    expect(await bound.repositories.get()).toBe(200);
    const pages: number[] = [];
    for await (const page of bound.repositories.listPages()) pages.push(page);
    expect(pages).toEqual([200, 200, 200]);
    expect(await used('people')).toBe(4);
  });

  it('charges nothing outside a bound call, nor token endpoint requests', async () => {
    const { scope, client, used, sent } = setup();
    await client.repositories.get();
    await scope.bind(client, { clientKey: 't1', credential: 'installation', lane: 'people', purpose: 'agent' }).token();
    expect(sent).toHaveLength(2);
    expect((await used('people')) + (await used('automation'))).toBe(0);
  });

  it('a 429 pauses the automation lane until Retry-After: the next automation call is not sent; a person\'s still is', async () => {
    const { scope, client, sent, budget } = setup(429, { 'retry-after': '30' });
    const automation = scope.bind(client, { clientKey: 't1', credential: 'installation', lane: 'automation', purpose: 'agent' });
    expect(await automation.repositories.get()).toBe(429);
    const deferred = await automation.repositories.get().catch((err: unknown) => err);
    expect(deferred).toBeInstanceOf(BudgetDeferredError);
    // The error model's fields: a job retries it, a request that met it would get a 503, not a 500.
    expect(isBosunError(deferred)).toBe(true);
    expect(deferred).toMatchObject({ code: 'BUDGET_DEFERRED', httpStatus: 503, retryable: true });
    expect(sent).toHaveLength(1);
    const person = scope.bind(client, { clientKey: 't1', credential: 'installation', lane: 'people', purpose: 'agent' });
    expect(await person.repositories.get()).toBe(429);
    expect(sent).toHaveLength(2);
    expect((await budget.load('t1')).credentials[0]?.pausedUntil).toBe('2026-03-01T12:00:30.000Z');
  });

  it('runInLane sets the lane a job\'s clients report, only inside it', async () => {
    const { scope } = setup();
    expect(scope.currentLane()).toBeNull();
    const seen = await scope.runInLane('automation', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return scope.currentLane();
    });
    expect(seen).toBe('automation');
    expect(scope.currentLane()).toBeNull();
  });
});
