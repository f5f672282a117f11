/**
 * Merge queue: 20 queued PRs, CI of fixed duration (20 simulated minutes), 10% of PRs failing
 * (2 of 20, placed by seed), serial vs batch of 4 vs speculation, on a simulated clock.
 * Targets: speculative throughput ≥ 3× serial; ≤ 0.4 CI runs per merged PR at batch 4; 0 target
 * heads never tested; p99 of the time from the event that makes a batch landable to the merge
 * request ≤ 1 s (real time, store round trip included).
 */
import { simulateMergeQueue, type MergeQueueSimulationResult } from './simulate-merge-queue';

const CONFIGS = [
  { name: 'serial', batchSize: 1, depth: 1 },
  { name: 'batch-4', batchSize: 4, depth: 1 },
  { name: 'speculative-3', batchSize: 1, depth: 3 },
  { name: 'batch-4-speculative-3', batchSize: 4, depth: 3 },
];

/** Two distinct PR ids in 1..20 from a seed (xorshift32). */
function failingFor(seed: number): number[] {
  let x = seed;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  const picked = new Set<number>();
  while (picked.size < 2) picked.add((next() % 20) + 1);
  return [...picked].sort((a, b) => a - b);
}

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const median = (xs: number[]) => p(xs, 0.5);

export async function benchMergeQueue(): Promise<void> {
  const seeds = [7, 42, 1234];
  const byConfig = new Map<string, MergeQueueSimulationResult[]>();
  const started = Date.now();
  for (const seed of seeds) {
    const failing = failingFor(seed);
    for (const c of CONFIGS) {
      const r = await simulateMergeQueue({ ...c, prs: 20, failing, ciDurationMs: 20 * 60_000 });
      byConfig.set(c.name, [...(byConfig.get(c.name) ?? []), r]);
      console.log(`${c.name.padEnd(22)} seed=${seed} failing=${failing.join(',')} merged=${r.merged} ejected=${r.ejected} ciRuns=${r.ciRuns} hours=${r.simulatedHours.toFixed(2)} merges/h=${r.mergesPerHour.toFixed(2)} merges/CI-h=${r.mergesPerCiHour.toFixed(2)} runs/merge=${r.ciRunsPerMerged.toFixed(3)} untested=${r.untestedHeads}`);
    }
  }
  const serial = median(byConfig.get('serial')!.map((r) => r.mergesPerHour));
  for (const c of CONFIGS) {
    const rs = byConfig.get(c.name)!;
    const perHour = median(rs.map((r) => r.mergesPerHour));
    console.log(`RESULT name=merge-queue-${c.name}-merges-per-hour value=${perHour.toFixed(2)} unit=merges/h baseline=${serial.toFixed(2)} ratio=${(perHour / serial).toFixed(2)}`);
    console.log(`RESULT name=merge-queue-${c.name}-merges-per-ci-hour value=${median(rs.map((r) => r.mergesPerCiHour)).toFixed(2)} unit=merges/CI-h baseline=0 ratio=0`);
    console.log(`RESULT name=merge-queue-${c.name}-ci-runs-per-merged value=${median(rs.map((r) => r.ciRunsPerMerged)).toFixed(3)} unit=runs baseline=0.4 ratio=${(median(rs.map((r) => r.ciRunsPerMerged)) / 0.4).toFixed(2)}`);
    console.log(`RESULT name=merge-queue-${c.name}-untested-heads value=${Math.max(...rs.map((r) => r.untestedHeads))} unit=heads baseline=0 ratio=0`);
  }
  const latencies = [...byConfig.values()].flat().flatMap((r) => r.toMergeRequestMs);
  console.log(`RESULT name=merge-queue-green-to-merge-request-p99 value=${p(latencies, 0.99).toFixed(2)} unit=ms baseline=1000 ratio=${(p(latencies, 0.99) / 1000).toFixed(4)}`);
  console.log(`merge-queue bench wall time ${Date.now() - started} ms (${latencies.length} merge requests)`);
}
