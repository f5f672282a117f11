import { describe, expect, it } from 'vitest';
import { createFixedWindowStore } from '../../../server/web/api/person-rate-limit';

describe('createFixedWindowStore (the per-person limiter\'s counts, on the injected clock)', () => {
  it('counts per key within a window and starts again when it ends', async () => {
    let now = 0;
    const store = createFixedWindowStore(() => new Date(now), 60_000);
    expect(await store.increment('t\nbob')).toEqual({ totalHits: 1, resetTime: new Date(60_000) });
    now = 59_999;
    expect((await store.increment('t\nbob')).totalHits).toBe(2);
    expect((await store.increment('t\ncarol')).totalHits).toBe(1);
    expect((await store.increment('other-tenant\nbob')).totalHits).toBe(1);
    now = 60_000;
    expect(await store.increment('t\nbob')).toEqual({ totalHits: 1, resetTime: new Date(120_000) });
    // carol's window began at 59 999 ms: it runs to 119 999.
    expect((await store.get?.('t\ncarol'))?.totalHits).toBe(1);
    now = 119_999;
    expect(await store.get?.('t\ncarol')).toBeUndefined();
  });

  it('decrements and resets a key', async () => {
    const store = createFixedWindowStore(() => new Date(0), 1000);
    await store.increment('k');
    await store.increment('k');
    await store.decrement('k');
    expect((await store.get?.('k'))?.totalHits).toBe(1);
    await store.resetKey('k');
    expect(await store.get?.('k')).toBeUndefined();
  });
});
