/** What a queue CI run reports for one commit. */
export interface QueueCiResult {
  commit: string;
  passed: boolean;
  reason: string | null;
}

export interface QueueCiOptions {
  /** How long every run takes (simulated or real milliseconds, whatever `after` counts in). */
  durationMs: number;
  /** Chance that a run fails for no reason in the code (a flaky test), per run. */
  flakyRate?: number | undefined;
  /** Changes (PR ids, file paths) that fail every run that includes them. */
  failing?: readonly string[] | undefined;
  /** Pairs that pass alone and fail together (semantic conflicts). */
  conflicting?: ReadonlyArray<readonly [string, string]> | undefined;
  /** Seeds the flaky draws: the same seed gives the same runs. */
  seed?: number | undefined;
  after: (ms: number, fn: () => void) => void;
}

export interface QueueCi {
  /** Decides a run of `commit` containing `changes` now, without waiting (pure apart from the flaky draw). */
  decide(commit: string, changes: readonly string[]): QueueCiResult;
  /** Starts a run: `report` is called after `durationMs` with its result. */
  run(commit: string, changes: readonly string[], report: (result: QueueCiResult) => void): void;
  readonly runs: number;
}

/**
 * CI for queue branches in the sandbox and benchmarks: fixed duration, PRs that always fail,
 * pairs that fail only together, and flaky failures drawn from a seeded generator.
 */
export function createQueueCi(options: QueueCiOptions): QueueCi {
  let runs = 0;
  let draw = (options.seed ?? 1) >>> 0 || 1;
  const random = () => {
    // xorshift32: small, seeded, the same sequence on every machine.
    draw ^= draw << 13;
    draw >>>= 0;
    draw ^= draw >>> 17;
    draw ^= draw << 5;
    draw >>>= 0;
    return draw / 0x1_0000_0000;
  };
  const failing = new Set(options.failing ?? []);
  const decide = (commit: string, changes: readonly string[]): QueueCiResult => {
    const present = new Set(changes);
    const broken = changes.find((c) => failing.has(c));
    if (broken !== undefined) return { commit, passed: false, reason: `tests fail with ${broken}` };
    const pair = (options.conflicting ?? []).find(([a, b]) => present.has(a) && present.has(b));
    if (pair) return { commit, passed: false, reason: `tests fail with ${pair[0]} and ${pair[1]} together` };
    if (options.flakyRate && random() < options.flakyRate) return { commit, passed: false, reason: 'a flaky test failed' };
    return { commit, passed: true, reason: null };
  };
  return {
    decide,
    run(commit, changes, report) {
      runs += 1;
      const result = decide(commit, changes);
      options.after(options.durationMs, () => report(result));
    },
    get runs() {
      return runs;
    },
  };
}
