import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideStatusUpdate,
  getCiAdapter,
  toBitbucketStatus,
  type CiBuildResult,
  type CiBuildState,
  type ReportedStatus,
} from '../../../server/ci';
import { loadCiDelivery } from './ci-fixtures';

function fromFixture(provider: string, path: string): CiBuildResult {
  const outcome = getCiAdapter(provider).parse(loadCiDelivery(path));
  if (outcome.kind !== 'build') throw new Error(`${path} was ignored`);
  return outcome.result;
}

/** Feeds results through the rule the way the reporting job does; returns what Bitbucket ends up showing. */
function replay(results: readonly CiBuildResult[]): { shown: CiBuildResult | undefined; decisions: string[] } {
  let reported: ReportedStatus | undefined;
  let shown: CiBuildResult | undefined;
  const decisions: string[] = [];
  for (const result of results) {
    const decision = decideStatusUpdate(reported, result, toBitbucketStatus(result));
    decisions.push(decision.kind);
    if (decision.kind === 'apply') {
      reported = decision.reported;
      shown = result;
    }
  }
  return { shown, decisions };
}

function build(state: CiBuildState, run: number, attempt: number, occurredAt?: string): CiBuildResult {
  return {
    provider: 'generic',
    check: 'unit-tests',
    name: 'Unit tests',
    state,
    commit: '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170',
    url: `https://ci.example.com/builds/${run}/${attempt}`,
    run: { number: run, attempt },
    ...(occurredAt === undefined ? {} : { occurredAt }),
    attachments: { junit: [], sarif: [], findings: [] },
  };
}

describe('out of order and duplicate updates', () => {
  it('applies the first update', () => {
    expect(replay([build('running', 1, 1)]).decisions).toEqual(['apply']);
  });

  it('drops an exact repeat', () => {
    const failed = fromFixture('github-actions', 'github-actions/workflow-run-completed-failure.json');
    expect(replay([failed, failed]).decisions).toEqual(['apply', 'duplicate']);
  });

  it('never lets a late "in progress" overwrite the failure that came after it (GitHub)', () => {
    const running = fromFixture('github-actions', 'github-actions/workflow-run-in-progress.json');
    const failed = fromFixture('github-actions', 'github-actions/workflow-run-completed-failure.json');
    const { shown, decisions } = replay([failed, running]);
    expect(decisions).toEqual(['apply', 'stale']);
    expect(shown?.state).toBe('failure');
  });

  it('lets a re-run (a later attempt) replace the failure, and drops the first attempt arriving late', () => {
    const failed = fromFixture('github-actions', 'github-actions/workflow-run-completed-failure.json');
    const rerun = fromFixture('github-actions', 'github-actions/workflow-run-rerun-success.json');
    expect(replay([failed, rerun]).shown?.state).toBe('success');
    expect(replay([rerun, failed]).decisions).toEqual(['apply', 'stale']);
  });

  it('drops Jenkins FINALIZED after COMPLETED as a duplicate, and a late STARTED as stale', () => {
    const started = fromFixture('jenkins', 'jenkins/started.json');
    const completed = fromFixture('jenkins', 'jenkins/completed-unstable.json');
    const finalized = fromFixture('jenkins', 'jenkins/finalized-unstable.json');
    expect(replay([started, completed, finalized]).decisions).toEqual(['apply', 'apply', 'duplicate']);
    expect(replay([completed, started]).decisions).toEqual(['apply', 'stale']);
  });

  it('drops a CircleCI event delivered twice by its id, even when re-serialised differently', () => {
    const event = fromFixture('circleci', 'circleci/workflow-completed-failed.json');
    const again = { ...event, description: 'second delivery' };
    expect(replay([event, again]).decisions).toEqual(['apply', 'duplicate']);
  });

  it('orders by time within a run, and by state rank at the same time', () => {
    const early = build('failure', 3, 1, '2026-11-30T10:00:00Z');
    const late = build('success', 3, 1, '2026-11-30T10:05:00Z');
    expect(replay([late, early]).decisions).toEqual(['apply', 'stale']);
    expect(replay([early, late]).shown?.state).toBe('success');
    const runningSameTime = build('running', 3, 1, '2026-11-30T10:05:00Z');
    expect(replay([late, runningSameTime]).decisions).toEqual(['apply', 'stale']);
  });

  it('ends on the newest update whatever order a batch arrives in (any shuffle, any repeats)', () => {
    const history = [
      build('queued', 7, 1, '2026-11-30T10:00:00Z'),
      build('running', 7, 1, '2026-11-30T10:00:05Z'),
      build('failure', 7, 1, '2026-11-30T10:03:00Z'),
      build('queued', 7, 2, '2026-11-30T10:10:00Z'),
      build('running', 7, 2, '2026-11-30T10:10:05Z'),
      build('success', 7, 2, '2026-11-30T10:13:00Z'),
    ];
    const newest = history[history.length - 1];
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: 1 }), fc.array(fc.nat({ max: 5 }), { maxLength: 4 }), (subset, repeats) => {
        const deliveries = [...subset, ...repeats.map((index) => history[index]).filter((item) => item !== undefined)];
        const { shown } = replay(deliveries);
        const expected = [...deliveries].sort((a, b) => history.indexOf(b) - history.indexOf(a))[0];
        expect(shown).toBe(expected);
        if (deliveries.includes(newest!)) expect(shown?.state).toBe('success');
      }),
      { numRuns: 300 },
    );
  });
});
