import { describe, expect, it } from 'vitest';
import {
  createDefaultToolCatalog,
  createMemoryAutoMergeStore,
  createNaturalLanguagePlanner,
  isClarification,
  isPlanningError,
  isReadOnlyPlan,
  NATURAL_LANGUAGE_EXAMPLES,
  toNaturalLanguageExamples,
  type PlannerContext,
} from '../../../server/agent';
import { tenant } from './agent-fakes';

const tools = createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore() });
const ctx: PlannerContext = { tenant, repo: { workspace: 'acme', slug: 'web' }, tools };
const web = { workspace: 'acme', repo: 'web' };
const planner = createNaturalLanguagePlanner();
const onPrPage = {
  pullRequestId: 27,
  facts: {
    pullRequest: { title: 'Pay by card', sourceBranch: 'feature/pay', destinationBranch: 'main' },
    people: [
      { nickname: 'grace', displayName: 'Grace Hopper', uuid: '{00000000-0000-4000-8000-000000000001}' },
      { nickname: 'greg', displayName: 'Greg House', uuid: '{00000000-0000-4000-8000-000000000002}' },
    ],
  },
};

describe('natural-language planner', () => {
  it.each([
    ['merge #12', 'pullRequest.merge', { ...web, pullRequestId: 12 }],
    ['Merge #12 with squash', 'pullRequest.merge', { ...web, pullRequestId: 12, strategy: 'squash' }],
    ['merge #12 when the build passes', 'pullRequest.mergeWhenGreen', { ...web, pullRequestId: 12 }],
    ['merge PR #12 when green', 'pullRequest.mergeWhenGreen', { ...web, pullRequestId: 12 }],
    ['please merge #12 once the checks pass.', 'pullRequest.mergeWhenGreen', { ...web, pullRequestId: 12 }],
    ['approve #3', 'pullRequest.approve', { ...web, pullRequestId: 3 }],
    ['decline #4', 'pullRequest.decline', { ...web, pullRequestId: 4 }],
    ['request changes on #4', 'pullRequest.requestChanges', { ...web, pullRequestId: 4 }],
    ['add reviewers @bob to #5', 'pullRequest.addReviewers', { ...web, pullRequestId: 5, reviewers: ['bob'] }],
    ['add @bob and @carol as reviewers to #5', 'pullRequest.addReviewers', { ...web, pullRequestId: 5, reviewers: ['bob', 'carol'] }],
    [
      'open a PR from feature/login to main titled Add login',
      'pullRequest.open',
      { ...web, source: 'feature/login', destination: 'main', title: 'Add login' },
    ],
    ['create a pull request from fix/a into develop', 'pullRequest.open', { ...web, source: 'fix/a', destination: 'develop', title: 'Merge fix/a into develop' }],
    ['rerun the failed pipeline on main', 'pipeline.rerunFailed', { ...web, branch: 'main' }],
    ['create branch hotfix/x from main', 'branch.create', { ...web, name: 'hotfix/x', from: 'main' }],
    ['delete branch hotfix/x', 'branch.delete', { ...web, name: 'hotfix/x' }],
    ['report a failed build for commit abc123f named lint', 'buildStatus.report', { ...web, commit: 'abc123f', state: 'FAILED', name: 'lint' }],
    ['what is the status of #12', 'pullRequest.status', { ...web, pullRequestId: 12 }],
    ['is #12 ready to merge?', 'pullRequest.status', { ...web, pullRequestId: 12 }],
    ['cancel the auto-merge on #12', 'pullRequest.cancelAutoMerge', { ...web, pullRequestId: 12 }],
    ['merge #2 in repo api', 'pullRequest.merge', { workspace: 'acme', repo: 'api', pullRequestId: 2 }],
    ['approve #9 in other/site', 'pullRequest.approve', { workspace: 'other', repo: 'site', pullRequestId: 9 }],
  ])('%s', async (text, tool, input) => {
    const plan = await planner.plan(text, ctx);
    if (isPlanningError(plan) || isClarification(plan)) throw new Error(JSON.stringify(plan));
    expect(plan.source).toBe('natural-language');
    expect(plan.steps).toEqual([{ tool, input }]);
    expect(tools.get(tool)?.input.safeParse(input).success).toBe(true);
  });

  it('uses the pull request of the context for "this"', async () => {
    const plan = await planner.plan('merge this when green', { ...ctx, pullRequestId: 8 });
    expect(plan).toMatchObject({ steps: [{ tool: 'pullRequest.mergeWhenGreen', input: { ...web, pullRequestId: 8 } }] });
    expect(await planner.plan('merge this', ctx)).toMatchObject({ error: 'Which pull request? Say its number, like #12.' });
  });

  it('asks for a repository when it has none', async () => {
    expect(await planner.plan('merge #12', { tenant, tools })).toMatchObject({ error: expect.stringContaining('Which repository?') });
  });

  it('answers what it does not understand with what it can do, using the real numbers and names of the page', async () => {
    const outcome = await planner.plan('make me a sandwich', ctx);
    expect(outcome).toMatchObject({ error: expect.stringMatching(/^Bosun did not understand "make me a sandwich"\. Bosun can /), suggestions: [...NATURAL_LANGUAGE_EXAMPLES, 'list repositories'] });
    expect(await planner.plan('merge #12 sideways', ctx)).toMatchObject({ error: expect.stringContaining('did not understand "sideways"') });
    const onPr = await planner.plan('order pizza', { ...ctx, ...onPrPage });
    if (!isPlanningError(onPr)) throw new Error('expected help');
    expect(onPr.suggestions).toContain('approve #27');
    expect(onPr.suggestions).toContain('add @grace as reviewer');
    expect(onPr.suggestions).toContain('rerun the failed pipeline on feature/pay');
    expect(onPr.error).toContain("what's blocking #27?");
  });

  it('understands every example it suggests', async () => {
    for (const [examples, context] of [
      [NATURAL_LANGUAGE_EXAMPLES, ctx],
      [toNaturalLanguageExamples(onPrPage), { ...ctx, ...onPrPage }],
    ] as const) {
      for (const example of examples) {
        const plan = await planner.plan(example, context);
        expect(isPlanningError(plan) ? plan.error : 'ok').toBe('ok');
      }
    }
  });

  it('plans several actions in one request, in order', async () => {
    const plan = await planner.plan('add @grace as reviewer, merge when green', { ...ctx, ...onPrPage });
    expect(plan).toMatchObject({
      summary: 'Add @grace as reviewer of #27, then Merge #27 when its builds pass',
      steps: [
        { tool: 'pullRequest.addReviewers', input: { ...web, pullRequestId: 27, reviewers: ['grace'] } },
        { tool: 'pullRequest.mergeWhenGreen', input: { ...web, pullRequestId: 27 } },
      ],
    });
  });

  it('asks back with the choices it sees when a name fits two people, each choice a complete request', async () => {
    const page = { ...ctx, ...onPrPage };
    const outcome = await planner.plan('add Gr as reviewer and merge when green', page);
    expect(outcome).toEqual({
      clarification: {
        question: 'Which Gr should review #27?',
        choices: [
          { label: 'Grace Hopper (@grace)', text: 'add @grace as reviewer, merge when green' },
          { label: 'Greg House (@greg)', text: 'add @greg as reviewer, merge when green' },
        ],
      },
    });
    expect(await planner.plan('add @greg as reviewer, merge when green', page)).toMatchObject({
      steps: [{ tool: 'pullRequest.addReviewers', input: { reviewers: ['greg'] } }, { tool: 'pullRequest.mergeWhenGreen' }],
    });
  });

  it('marks plans that only read as read-only, and others not', async () => {
    const status = await planner.plan("what's blocking this PR?", { ...ctx, ...onPrPage });
    const merge = await planner.plan('ship it', { ...ctx, ...onPrPage });
    if (isPlanningError(status) || isClarification(status) || isPlanningError(merge) || isClarification(merge)) throw new Error('expected plans');
    expect(isReadOnlyPlan(status, tools)).toBe(true);
    expect(isReadOnlyPlan(merge, tools)).toBe(false);
  });

  it('validates every plan against the tool input schema', async () => {
    // A title longer than pullRequest.update allows is caught while planning, not when it runs.
    const outcome = await planner.plan(`rename this to "${'x'.repeat(300)}"`, { ...ctx, ...onPrPage });
    expect(outcome).toMatchObject({ error: expect.stringContaining('pullRequest.update: title') });
  });
});
