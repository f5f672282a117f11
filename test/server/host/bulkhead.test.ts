import { describe, expect, it } from 'vitest';
import { BulkheadFullError, createBulkhead } from '../../../server/host';
import { toHttpError } from '../../../server/web/error-handler';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('createBulkhead', () => {
  it('runs at most `concurrency` calls at once, the rest in arrival order', async () => {
    const bulkhead = createBulkhead({ what: 'installations', concurrency: 2, maxWaiting: 10 });
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const finished: number[] = [];
    const runs = gates.map((gate, i) =>
      bulkhead.run(async () => {
        started.push(i);
        await gate.promise;
        finished.push(i);
        return i * 10;
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual([0, 1]);
    expect(bulkhead.load()).toEqual({ active: 2, waiting: 3 });
    gates[1]!.resolve();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(bulkhead.load()).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the slot when a call throws', async () => {
    const bulkhead = createBulkhead({ what: 'installations', concurrency: 1, maxWaiting: 1 });
    await expect(bulkhead.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await bulkhead.run(async () => 'next')).toBe('next');
    expect(bulkhead.load()).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses past maxWaiting with a 503 that says when to come back', async () => {
    const bulkhead = createBulkhead({ what: 'installations', concurrency: 1, maxWaiting: 1, retryAfterMs: 2000 });
    const gate = deferred();
    const first = bulkhead.run(() => gate.promise);
    const second = bulkhead.run(async () => 'second');
    const third = bulkhead.run(async () => 'third');
    await expect(third).rejects.toBeInstanceOf(BulkheadFullError);
    const mapped = toHttpError(await third.catch((err: unknown) => err));
    expect(mapped).toMatchObject({ status: 503, code: 'OVERLOADED', headers: { 'Retry-After': '2' } });
    gate.resolve();
    await first;
    expect(await second).toBe('second');
  });

  it('refuses a concurrency below 1', () => {
    expect(() => createBulkhead({ what: 'x', concurrency: 0, maxWaiting: 1 })).toThrow(/at least 1/);
  });
});
