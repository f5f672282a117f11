/**
 * Whether an incoming build result may replace what Bosun last reported for the same status key
 * on the same commit. CIs retry deliveries and send them concurrently, so updates arrive late and
 * twice; an update never overwrites a newer state, and a repeat is dropped.
 *
 * Order, most significant first:
 * 1. the run: a later run (number, then attempt) supersedes an earlier one, whatever its state;
 *    this is how a re-run turns a red check back to in progress;
 * 2. within one run, the time the CI gave;
 * 3. within one run at the same (or no) time, the state's rank: finished beats running beats
 *    queued, so a late "running" never undoes a "failed".
 */
import { createHash } from 'node:crypto';
import type { CiBuildResult, CiBuildState, CiRun } from './ci-build-result';
import type { CiStatusUpdate } from './to-bitbucket-status';

/** What Bosun keeps per (tenant, repository, commit, key) about the last status it accepted. */
export interface ReportedStatus {
  fingerprint: string;
  state: CiBuildState;
  run?: CiRun;
  occurredAt?: string;
  /** Delivery ids already accepted for this key (most recent few). */
  deliveryIds?: readonly string[];
  /** The job that took this decision: its retry posts again instead of reading it as a duplicate. */
  claimedBy?: string;
}

export type StatusUpdateDecision =
  | { kind: 'apply'; reported: ReportedStatus }
  | { kind: 'duplicate'; reason: string }
  | { kind: 'stale'; reason: string };

const RANK: Record<CiBuildState, number> = {
  queued: 0,
  running: 1,
  success: 2,
  failure: 2,
  unstable: 2,
  error: 2,
  cancelled: 2,
  aborted: 2,
  skipped: 2,
  not_built: 2,
};

/** Same update, same fingerprint: the state, run, time and every field Bitbucket would show. */
export function toStatusFingerprint(result: CiBuildResult, status: CiStatusUpdate): string {
  const identity = JSON.stringify([
    status.key,
    status.state,
    status.name,
    status.url,
    status.description ?? null,
    status.refname ?? null,
    result.state,
    result.run?.number ?? null,
    result.run?.attempt ?? null,
    result.occurredAt ?? null,
  ]);
  return createHash('sha256').update(identity).digest('hex');
}

function compareRuns(a: CiRun | undefined, b: CiRun | undefined): number {
  if (a === undefined || b === undefined) return 0;
  if (a.number !== b.number) return a.number - b.number;
  return a.attempt - b.attempt;
}

function compareTimes(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0;
  return Date.parse(a) - Date.parse(b);
}

/** Decides what to do with `result` given what was last reported (undefined: nothing yet). */
export function decideStatusUpdate(
  previous: ReportedStatus | undefined,
  result: CiBuildResult,
  status: CiStatusUpdate,
): StatusUpdateDecision {
  const fingerprint = toStatusFingerprint(result, status);
  const deliveryIds = result.deliveryId === undefined ? [] : [result.deliveryId];
  const reported: ReportedStatus = {
    fingerprint,
    state: result.state,
    ...(result.run === undefined ? {} : { run: result.run }),
    ...(result.occurredAt === undefined ? {} : { occurredAt: result.occurredAt }),
    deliveryIds: [...deliveryIds, ...(previous?.deliveryIds ?? [])].slice(0, 20),
  };
  if (previous === undefined) return { kind: 'apply', reported };
  if (result.deliveryId !== undefined && previous.deliveryIds?.includes(result.deliveryId)) {
    return { kind: 'duplicate', reason: `delivery ${result.deliveryId} was already accepted` };
  }
  if (previous.fingerprint === fingerprint) return { kind: 'duplicate', reason: 'the same update was already reported' };

  const byRun = compareRuns(result.run, previous.run);
  if (byRun < 0) return { kind: 'stale', reason: `run ${result.run?.number}.${result.run?.attempt} is older than the one reported` };
  if (byRun > 0) return { kind: 'apply', reported };

  const byTime = compareTimes(result.occurredAt, previous.occurredAt);
  if (byTime < 0) return { kind: 'stale', reason: `this update (${result.occurredAt}) is older than the one reported (${previous.occurredAt})` };
  if (byTime > 0) return { kind: 'apply', reported };

  if (RANK[result.state] < RANK[previous.state]) {
    return { kind: 'stale', reason: `"${result.state}" arrived after "${previous.state}" for the same run` };
  }
  return { kind: 'apply', reported };
}
