import { describe, expect, it } from 'vitest';
import { simulateMergeQueue } from '../../../bench/simulate-merge-queue';

/** The benchmark's simulation as a test: the real queue, store and queue CI on a simulated clock. */
describe('merge queue simulation (20 PRs, 20-minute CI)', () => {
  const base = { prs: 20, ciDurationMs: 20 * 60_000 };

  it.each([
    { name: 'serial', batchSize: 1, depth: 1 },
    { name: 'batch-4', batchSize: 4, depth: 1 },
    { name: 'speculative-3', batchSize: 1, depth: 3 },
    { name: 'batch-4-speculative-3', batchSize: 4, depth: 3 },
  ])('$name: ejects exactly the failing PRs, lands the rest in queue order, never an untested head', async (c) => {
    const r = await simulateMergeQueue({ ...c, ...base, failing: [4, 16] });
    expect(r.ejected).toBe(2);
    expect(r.merged).toBe(18);
    expect(r.landedOrder).toEqual(Array.from({ length: 20 }, (_, i) => i + 1).filter((pr) => pr !== 4 && pr !== 16));
    expect(r.untestedHeads).toBe(0);
  });

  it('a semantic conflict never reaches the target: the later PR of the pair is ejected', async () => {
    const r = await simulateMergeQueue({ name: 'conflict', batchSize: 4, depth: 2, ...base, failing: [], conflicting: [[2, 3]] });
    expect(r.landedOrder).toEqual(Array.from({ length: 20 }, (_, i) => i + 1).filter((pr) => pr !== 3));
    expect(r.untestedHeads).toBe(0);
  });

  it('batching and speculation land the same PRs in at most half of serial time', async () => {
    const serial = await simulateMergeQueue({ name: 'serial', batchSize: 1, depth: 1, ...base, failing: [4, 16] });
    const spec = await simulateMergeQueue({ name: 'spec', batchSize: 4, depth: 3, ...base, failing: [4, 16] });
    expect(spec.simulatedHours).toBeLessThan(serial.simulatedHours / 2);
    expect(spec.ciRuns).toBeLessThan(serial.ciRuns);
  });
  it('the entry gate: failing PRs whose own CI failed are refused without a run, so batches of 4 hold only the 18 good ones', async () => {
    const gated = await simulateMergeQueue({ name: 'gate', batchSize: 4, depth: 1, ...base, failing: [4, 16], ownCiSeesFailures: true });
    const found = await simulateMergeQueue({ name: 'found', batchSize: 4, depth: 1, ...base, failing: [4, 16] });
    expect(gated.ejected).toBe(2);
    expect(gated.landedOrder).toEqual(found.landedOrder);
    expect(gated.ciRuns).toBe(Math.ceil(18 / 4));
    // Found by the queue instead, each failure costs its failed batch and the bisection runs.
    expect(found.ciRuns).toBeGreaterThan(gated.ciRuns + 2);
  });
});
