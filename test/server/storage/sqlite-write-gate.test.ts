import { describe, expect, it } from 'vitest';
import { URGENT_IN_A_ROW, createSqliteWriteGate } from '../../../server/storage/sqlite-write-gate';

/** Holds the gate until released; records the order in which holders got in. */
function createHolders(gate: ReturnType<typeof createSqliteWriteGate>, order: string[]) {
  const releases = new Map<string, () => void>();
  const hold = (name: string, urgent = false) =>
    gate.run(
      () =>
        new Promise<void>((resolve) => {
          order.push(name);
          releases.set(name, resolve);
        }),
      { urgent },
    );
  const release = async (name: string) => {
    releases.get(name)?.();
    // Let the next holder get in (its callback runs a few microtasks later).
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { hold, release };
}

describe('the SQLite write gate: urgent holders first', () => {
  it('lets an urgent caller (a webhook batch) in before background writers that were waiting longer, in order among each', async () => {
    const gate = createSqliteWriteGate();
    const order: string[] = [];
    const { hold, release } = createHolders(gate, order);
    const all = [hold('claim'), hold('heartbeat'), hold('enqueue'), hold('batch-1', true), hold('batch-2', true)];
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['claim']);
    expect(gate.waiting()).toBe(4);
    for (const name of ['claim', 'batch-1', 'batch-2', 'heartbeat', 'enqueue']) await release(name);
    await Promise.all(all);
    expect(order).toEqual(['claim', 'batch-1', 'batch-2', 'heartbeat', 'enqueue']);
    expect(gate.waiting()).toBe(0);
  });

  it(`lets a waiting background writer in after ${URGENT_IN_A_ROW} urgent holders in a row, however many urgent ones keep coming`, async () => {
    const gate = createSqliteWriteGate();
    const order: string[] = [];
    const { hold, release } = createHolders(gate, order);
    const pending = [hold('batch-0', true), hold('claim')];
    let next = 1;
    // A steady stream: one more urgent caller queues before each release.
    for (let i = 0; i < 2 * URGENT_IN_A_ROW + 2; i++) {
      pending.push(hold(`batch-${next++}`, true));
      await new Promise((resolve) => setTimeout(resolve, 0));
      await release(order[order.length - 1]!);
    }
    const claimAt = order.indexOf('claim');
    expect(claimAt).toBeGreaterThan(0);
    // batch-0 held the gate when the claim queued; then at most URGENT_IN_A_ROW urgent ones went ahead of it.
    expect(claimAt).toBeLessThanOrEqual(1 + URGENT_IN_A_ROW);
    expect(order.slice(1, claimAt).every((name) => name.startsWith('batch-'))).toBe(true);
    // Drain: release whoever holds the gate until every caller has had its turn.
    let settled = false;
    const all = Promise.all(pending).then(() => (settled = true));
    while (!settled) await release(order[order.length - 1]!);
    await all;
    expect(new Set(order).size).toBe(pending.length);
  });

  it('is still re-entrant for an urgent holder (a write inside its own transaction does not wait)', async () => {
    const gate = createSqliteWriteGate();
    const inner = await gate.run(() => gate.run(async () => 'inner ran', { urgent: false }), { urgent: true });
    expect(inner).toBe('inner ran');
    expect(gate.waiting()).toBe(0);
  });
});
