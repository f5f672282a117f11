import { describe, expect, it } from 'vitest';
import { createMemoryReviewerCursorStore, planPullRequestRulesInTurn, planReviewerRetryInTurn, type PullRequestRuleFacts, type ReviewerCursorStore } from '../../../../server/agent';
import type { PolicyLayer } from '../../../../server/policies';
import { RULES_REPOSITORY_UUID as REPO, toRuleFacts } from './rule-facts-fixture';

const AUTHOR = '{a0000000-0000-4000-8000-000000000001}';
const BOB = '{b0b00000-0000-4000-8000-000000000002}';
const CAROL = '{ca201000-0000-4000-8000-000000000003}';
const DAVE = '{da7e0000-0000-4000-8000-000000000004}';
const NOW = new Date('2026-12-01T12:00:00Z');

const turnFacts = (layer: PolicyLayer, id: number, over: Partial<PullRequestRuleFacts> = {}): PullRequestRuleFacts =>
  toRuleFacts(layer, { id, title: `WEB-${id}`, authorUuid: AUTHOR, sourceBranch: `feature/${id}` }, over);

const layer = (mode: 'on' | 'dry-run' = 'on'): PolicyLayer => ({
  groups: { ui: [BOB, CAROL, DAVE] },
  reviewers: { mode, strategy: 'round-robin', owners: [{ paths: ['src/ui/'], reviewers: ['group:ui'] }], includeDefaultReviewers: false },
  readiness: { mode: 'off' },
});

const reviewersOf = async (store: ReviewerCursorStore, facts: PullRequestRuleFacts) => {
  const [plan] = await planPullRequestRulesInTurn(store, 'tenant-a', facts, NOW);
  return (plan!.plan.steps[0]!.input as { reviewers: string[] }).reviewers;
};

describe('round-robin turn (stored cursors)', () => {
  it('each new PR asks the next member of the group, wrapping round; the cursor is per tenant', async () => {
    const store = createMemoryReviewerCursorStore();
    const picked = [];
    for (let id = 1; id <= 4; id++) picked.push(...(await reviewersOf(store, turnFacts(layer(), id))));
    expect(picked).toEqual([BOB, CAROL, DAVE, BOB]);
    // Another tenant starts at the group's first member.
    const [other] = await planPullRequestRulesInTurn(store, 'tenant-b', turnFacts(layer(), 9), NOW);
    expect((other!.plan.steps[0]!.input as { reviewers: string[] }).reviewers).toEqual([BOB]);
  });

  it('two PRs planned at once never get the same next person', async () => {
    const store = createMemoryReviewerCursorStore();
    const results = await Promise.all([1, 2, 3].map((id) => reviewersOf(store, turnFacts(layer(), id))));
    expect(results.flat().sort()).toEqual([BOB, CAROL, DAVE].sort());
  });

  it('a dry run shows the next person without advancing; a redelivered trigger does not advance twice', async () => {
    const store = createMemoryReviewerCursorStore();
    const [dry] = await planPullRequestRulesInTurn(store, 'tenant-a', turnFacts(layer('dry-run'), 1), NOW);
    expect(dry!.plan.steps[0]!.tool).toBe('rule.recordDryRun');
    expect(await store.load('tenant-a', REPO, ['ui'])).toEqual({});
    expect(await reviewersOf(store, turnFacts(layer(), 1))).toEqual([BOB]);
    await reviewersOf(store, turnFacts(layer(), 1));
    expect((await store.load('tenant-a', REPO, ['ui'])).ui).toMatchObject({ position: 0, version: 1 });
    expect(await reviewersOf(store, turnFacts(layer(), 2))).toEqual([CAROL]);
  });

  it('the retry after a refused reviewer takes the next turn', async () => {
    const store = createMemoryReviewerCursorStore();
    const facts = turnFacts(layer(), 1);
    expect(await reviewersOf(store, facts)).toEqual([BOB]);
    const retry = await planReviewerRetryInTurn(store, 'tenant-a', facts, { errorCode: 'BITBUCKET_BAD_REQUEST', message: 'reviewers: malformed', reviewers: [BOB] }, NOW);
    expect((retry!.plan.steps[0]!.input as { reviewers: string[] }).reviewers).toEqual([CAROL]);
    expect(await reviewersOf(store, turnFacts(layer(), 2))).toEqual([DAVE]);
  });

  it('gives up with a retryable error when every advance loses its race', async () => {
    const inner = createMemoryReviewerCursorStore();
    const losing: ReviewerCursorStore = { load: inner.load, advance: async () => false };
    await expect(planPullRequestRulesInTurn(losing, 'tenant-a', turnFacts(layer(), 1), NOW)).rejects.toMatchObject({ code: 'AGENT_REVIEWER_CURSOR_BUSY', retryable: true });
  });
});
