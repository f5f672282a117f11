import { afterEach, describe, expect, it } from 'vitest';
import { BudgetDeferredError, createBudgetedFetch, createMemoryBudgetStore, createRateBudget, type BudgetLane } from '../../../server/budget';
import { signAppJwt } from '../../sandbox/helpers/app-jwt';
import { type Harness, startHarness } from '../../sandbox/helpers/setup';

describe('budgeted fetch against the sandbox', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const setup = async (sandbox = {}) => {
    h = await startHarness({ sandbox });
    let clock = new Date('2026-03-01T12:00:00.000Z');
    const budget = createRateBudget({
      store: createMemoryBudgetStore(), now: () => clock,
      policy: { limitPerHour: 20, reserve: { people: 0, automation: 5, sync: 10 }, defaultPauseMs: 60_000 },
    });
    // Signs each request as the installation, the way Bosun's installation client does.
    const signed: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      const token = signAppJwt({ method: init?.method ?? 'GET', pathAndQuery: `${url.pathname}${url.search}`, key: h.inst.key, clientKey: h.inst.clientKey, secret: h.inst.sharedSecret });
      return fetch(url, { ...init, headers: { Authorization: `JWT ${token}` } });
    };
    const lane = (l: BudgetLane, purpose: string) => createBudgetedFetch({ budget, clientKey: h.inst.clientKey, credential: 'installation', lane: l, purpose, fetch: signed });
    return { budget, lane, advance: (ms: number) => { clock = new Date(clock.getTime() + ms); } };
  };

  it('a 429 storm pauses automation until Retry-After while a person\'s click still reaches Bitbucket', async () => {
    const { budget, lane, advance } = await setup();
    h.sandbox.faults.add({ method: 'GET', pathPattern: '/2.0/repositories/acme/web/pullrequests', status: 429, times: 3 });
    const automation = lane('automation', 'agent.execute');
    const person = lane('people', 'pr-panel');

    const first = await automation(`${h.url}/2.0/repositories/acme/web/pullrequests`);
    expect(first.status).toBe(429);
    // Paused: the next automation request is not sent at all.
    const before = h.sandbox.requests.total();
    await expect(automation(`${h.url}/2.0/repositories/acme/web/pullrequests`)).rejects.toBeInstanceOf(BudgetDeferredError);
    expect(h.sandbox.requests.total()).toBe(before);
    // The person is not held back.
    expect((await person(`${h.url}/2.0/repositories/acme/web/pullrequests/1`)).status).toBe(200);
    expect((await budget.load(h.inst.clientKey)).credentials[0]?.pausedUntil).toBe('2026-03-01T12:00:01.000Z');
    // After Retry-After (1 s from the sandbox's fault), automation goes on.
    advance(1001);
    expect((await automation(`${h.url}/2.0/repositories/acme/web/pullrequests`)).status).toBe(429);
  });

  it('sync stops at its reserve, automation at its own, and people keep what is left; no request reaches a 429', async () => {
    const { lane, budget } = await setup({ rateLimitPerHour: 20 });
    const sync = lane('sync', 'mirror.sync');
    const automation = lane('automation', 'agent.execute');
    const person = lane('people', 'pr-panel');
    let synced = 0;
    for (;;) {
      try {
        expect((await sync(`${h.url}/2.0/repositories/acme/web`)).status).toBe(200);
        synced++;
      } catch (err) {
        expect(err).toBeInstanceOf(BudgetDeferredError);
        break;
      }
    }
    expect(synced).toBe(10);
    let automated = 0;
    while (await automation(`${h.url}/2.0/repositories/acme/web`).then(() => true, () => false)) automated++;
    expect(automated).toBe(5);
    for (let i = 0; i < 5; i++) expect((await person(`${h.url}/2.0/repositories/acme/web/pullrequests/1`)).status).toBe(200);
    expect(h.sandbox.requests.get(`app:${h.inst.clientKey}`)).toMatchObject({ total: 20, limited: 0 });
    const used = (await budget.load(h.inst.clientKey)).credentials[0];
    expect(used?.byLane).toEqual({ people: 5, automation: 5, sync: 10 });
    expect(used?.remaining).toBe(0);
  });
});
