import { describe, expect, it } from 'vitest';
import {
  createDefaultToolCatalog,
  createMemoryAutoMergeStore,
  createNaturalLanguagePlanner,
  isPlanningError,
  NATURAL_LANGUAGE_EXAMPLES,
  type PlannerContext,
} from '../../../server/agent';
import { tenant } from './agent-fakes';

const tools = createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore() });
const ctx: PlannerContext = { tenant, repo: { workspace: 'acme', slug: 'web' }, tools };
const web = { workspace: 'acme', repo: 'web' };
const planner = createNaturalLanguagePlanner();

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
    if (isPlanningError(plan)) throw new Error(plan.error);
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

  it('answers what it does not understand with examples', async () => {
    const outcome = await planner.plan('make me a sandwich', ctx);
    expect(outcome).toMatchObject({ error: 'Bosun did not understand "make me a sandwich".', suggestions: [...NATURAL_LANGUAGE_EXAMPLES] });
    expect(await planner.plan('merge #12 sideways', ctx)).toMatchObject({ error: expect.stringContaining('did not understand "sideways"') });
  });

  it('understands every example it suggests', async () => {
    for (const example of NATURAL_LANGUAGE_EXAMPLES) {
      const plan = await planner.plan(example, ctx);
      expect(isPlanningError(plan) ? plan.error : 'ok').toBe('ok');
    }
  });
});
