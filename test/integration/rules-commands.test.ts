import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyLayer } from '../../server/policies';
import { createRulesStack, SEED_PEOPLE } from '../helpers/rules-stack';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

const WORKSPACE = 'acme';
const REPO = 'web';
const { carol: CAROL, dave: DAVE } = SEED_PEOPLE;

describe('/bosun rules: the automation rules from a PR comment (signed webhooks from the sandbox)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack.close());

  const rules = createRulesStack(() => stack, REPO);
  const { repoUuid, prNow, auditFor, savePolicy, rulesJobDone } = rules;
  const sticky = (id: number) => stack.sandbox.state.comments.find((c) => c.repoUuid === repoUuid() && c.prId === id && !c.deleted && c.raw.includes('<!-- bosun:sticky:bosun -->'))?.raw ?? '';
  let n = 0;
  const openPr = (title: string) => rules.openPr(title, { [`src/ui/part-${++n}.ts`]: 'export const x = 1;\n' });
  /** The job a `/bosun rules run` queued (its key says so), once it has finished. */
  const runJobDone = (prId: number) => rulesJobDone(prId, (job) => job.dedupeKey?.startsWith('rules:run:') ?? false);
  const reviewerRule = (mode: 'on' | 'dry-run'): PolicyLayer => ({
    groups: { frontend: [CAROL, DAVE] },
    reviewers: { mode, strategy: 'round-robin', owners: [{ paths: ['src/ui/**'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false },
    readiness: { mode: 'off' },
  });

  it('previews in dry run without writing, runs once switched on, and the round-robin turn is kept for the next PR', async () => {
    await savePolicy(reviewerRule('dry-run'));
    const pr = openPr('WEB-21 Panel');
    // The created event's own rule run (dry run) is over before the commands.
    await expect.poll(async () => (await auditFor('rule.recordDryRun')).filter((e) => e.planSummary.includes(`#${pr.id}`)).length, { timeout: 15_000 }).toBe(1);

    stack.sandbox.actions.addComment({ workspace: WORKSPACE, repo: REPO, id: pr.id }, 'bob', '/bosun rules');
    await waitFor(() => sticky(pr.id).includes('What the automation rules would do'), 'the preview reply');
    expect(sticky(pr.id)).toContain(`reviewers (in dry run, would only record): add ${CAROL} as reviewer`);
    expect(prNow(pr.id).reviewerUuids).toEqual([]);
    expect((await auditFor('pullRequest.previewRules')).filter((e) => e.outcome === 'succeeded')).toHaveLength(1);

    // In dry run, running the rules records again at most (same would-do: one record), writes nothing.
    stack.sandbox.actions.addComment({ workspace: WORKSPACE, repo: REPO, id: pr.id }, 'bob', '/bosun rules run');
    await waitFor(() => sticky(pr.id).includes('Running the automation rules'), 'the run reply');
    expect((await runJobDone(pr.id)).state).toBe('succeeded');
    expect(prNow(pr.id).reviewerUuids).toEqual([]);
    expect((await auditFor('rule.recordDryRun')).filter((e) => e.planSummary.includes(`#${pr.id}`))).toHaveLength(1);

    await savePolicy(reviewerRule('on'));
    stack.sandbox.actions.addComment({ workspace: WORKSPACE, repo: REPO, id: pr.id }, 'bob', '/bosun rules run now');
    await expect.poll(() => prNow(pr.id).reviewerUuids, { timeout: 15_000 }).toEqual([CAROL]);
    // The audit entry is written once the plan is over (after the reviewer is on the PR).
    const assigned = async () => (await auditFor('pullRequest.addReviewers')).filter((e) => e.planSummary.includes(`#${pr.id}`)).map((e) => `${e.source} ${e.outcome}`);
    await expect.poll(assigned, { timeout: 15_000 }).toEqual(['rule succeeded']);

    // The next PR gets the next member: the position was stored.
    const next = openPr('WEB-22 Footer');
    await expect.poll(() => prNow(next.id).reviewerUuids, { timeout: 15_000 }).toEqual([DAVE]);
  });

  it('answers a malformed /bosun rules with its usage', async () => {
    const pr = openPr('WEB-23 Misc');
    stack.sandbox.actions.addComment({ workspace: WORKSPACE, repo: REPO, id: pr.id }, 'bob', '/bosun rules sideways');
    await waitFor(() => sticky(pr.id).includes('/bosun rules [run]'), 'the usage reply');
  });
});
