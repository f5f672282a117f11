import { describe, expect, it } from 'vitest';
import {
  createCommandPlanner,
  createDefaultToolCatalog,
  createMemoryAutoMergeStore,
  createNaturalLanguagePlanner,
  isClarification,
  isPlanningError,
  toJsonSchema,
  type PlannerContext,
} from '../../../server/agent';
import { tenant } from './agent-fakes';

const tools = createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore() });
const ctx: PlannerContext = { tenant, repo: { workspace: 'acme', slug: 'web' }, pullRequestId: 7, tools };
const on = { workspace: 'acme', repo: 'web', pullRequestId: 7 };

describe('command planner', () => {
  const planner = createCommandPlanner({ ask: createNaturalLanguagePlanner() });

  it.each([
    ['/bosun merge squash', [{ tool: 'pullRequest.merge', input: { ...on, strategy: 'squash' } }]],
    ['/bosun merge when green', [{ tool: 'pullRequest.mergeWhenGreen', input: on }]],
    ['/bosun cancel', [{ tool: 'pullRequest.cancelAutoMerge', input: on }]],
    ['/bosun status', [{ tool: 'pullRequest.status', input: on }]],
    ['/bosun approve', [{ tool: 'pullRequest.approve', input: on }]],
    ['/bosun request reviewers @bob @carol', [{ tool: 'pullRequest.addReviewers', input: { ...on, reviewers: ['bob', 'carol'] } }]],
    ['/bosun rerun failed pipeline', [{ tool: 'pipeline.rerunFailed', input: on }]],
    [
      '/bosun open pr from feature/a to main "Add A"',
      [{ tool: 'pullRequest.open', input: { workspace: 'acme', repo: 'web', source: 'feature/a', destination: 'main', title: 'Add A' } }],
    ],
    ['/bosun ask approve #3', [{ tool: 'pullRequest.approve', input: { workspace: 'acme', repo: 'web', pullRequestId: 3 } }]],
    ['/bosun unapprove', [{ tool: 'pullRequest.unapprove', input: on }]],
    ['/bosun request changes', [{ tool: 'pullRequest.requestChanges', input: on }]],
    ['/bosun decline', [{ tool: 'pullRequest.decline', input: on }]],
    ['/bosun rename "Add login"', [{ tool: 'pullRequest.update', input: { ...on, title: 'Add login' } }]],
    ['/bosun draft', [{ tool: 'pullRequest.update', input: { ...on, draft: true } }]],
    ['/bosun ready', [{ tool: 'pullRequest.update', input: { ...on, draft: false } }]],
    ['/bosun retarget develop', [{ tool: 'pullRequest.update', input: { ...on, destination: 'develop' } }]],
    ['/bosun run pipeline', [{ tool: 'pipeline.trigger', input: { workspace: 'acme', repo: 'web', branch: 'feature/x' } }]],
    ['/bosun run pipeline deploy', [{ tool: 'pipeline.trigger', input: { workspace: 'acme', repo: 'web', branch: 'feature/x', selector: { type: 'custom', pattern: 'deploy' } } }]],
    ['/bosun run pipeline deploy TARGET=qa', [{ tool: 'pipeline.trigger', input: { workspace: 'acme', repo: 'web', branch: 'feature/x', selector: { type: 'custom', pattern: 'deploy' }, variables: [{ key: 'TARGET', value: 'qa' }] } }]],
    ['/bosun stop pipeline 42', [{ tool: 'pipeline.stop', input: { workspace: 'acme', repo: 'web', pipeline: 42 } }]],
    ['/bosun stop 42', [{ tool: 'pipeline.stop', input: { workspace: 'acme', repo: 'web', pipeline: 42 } }]],
    ['/bosun rerun 12', [{ tool: 'pipeline.rerun', input: { workspace: 'acme', repo: 'web', pipeline: 12 } }]],
    ['/bosun rerun', [{ tool: 'pipeline.rerunFailed', input: on }]],
    ['/bosun builds', [{ tool: 'pipeline.list', input: { workspace: 'acme', repo: 'web', branch: 'feature/x' } }]],
    ['/bosun delete source branch', [{ tool: 'branch.delete', input: { workspace: 'acme', repo: 'web', name: 'feature/x' } }]],
    ['/bosun ask rerun the failed pipeline on the source branch', [{ tool: 'pipeline.rerunFailed', input: { workspace: 'acme', repo: 'web', branch: 'feature/x' } }]],
  ])('%s', async (text, steps) => {
    const plan = await planner.plan(text, { ...ctx, facts: { pullRequest: { sourceBranch: 'feature/x', destinationBranch: 'main' } } });
    if (isPlanningError(plan) || isClarification(plan)) throw new Error(JSON.stringify(plan));
    expect(plan.steps).toEqual(steps);
    for (const step of plan.steps) expect(tools.get(step.tool)?.input.safeParse(step.input).success).toBe(true);
  });

  it('answers help in the sticky comment, listing the commands', async () => {
    const plan = await planner.plan('/bosun help', ctx);
    if (isPlanningError(plan) || isClarification(plan)) throw new Error(JSON.stringify(plan));
    expect(plan.steps[0]?.tool).toBe('pullRequest.comment');
    expect(plan.steps[0]?.input).toMatchObject({ stickyKey: 'bosun' });
    expect((plan.steps[0]?.input as { body: string }).body).toContain('/bosun merge when green');
  });

  it('has a command for every tool that acts on one pull request', () => {
    const prTools = tools.tools.filter((t) => 'pullRequestId' in (toJsonSchema(t).properties as Record<string, unknown>)).map((t) => t.name);
    // Commenting through Bosun on a PR you are commenting on adds nothing; everything else has a command
    // (pipeline.list: `/bosun builds`, by the PR's source branch).
    const reached = new Set(['pullRequest.merge', 'pullRequest.mergeWhenGreen', 'pullRequest.cancelAutoMerge', 'pullRequest.status', 'pullRequest.approve',
      'pullRequest.unapprove', 'pullRequest.requestChanges', 'pullRequest.addReviewers', 'pullRequest.decline', 'pullRequest.update', 'pipeline.rerunFailed', 'pullRequest.comment',
      'pipeline.list']);
    expect(prTools.filter((name) => !reached.has(name))).toEqual([]);
  });

  it('suggests commands to paste when /bosun ask is not understood, with this PR\'s number', async () => {
    const outcome = await planner.plan('/bosun ask order pizza', ctx);
    if (!isPlanningError(outcome)) throw new Error('expected help');
    expect(outcome.suggestions).toContain('/bosun ask approve #7');
    expect(outcome.suggestions.every((s) => s.startsWith('/bosun'))).toBe(true);
  });

  it('needs the source branch for commands on it', async () => {
    expect(await planner.plan('/bosun delete source branch', ctx)).toMatchObject({ error: 'Bosun could not tell the source branch of #7.' });
  });

  it('returns the parse error with suggestions', async () => {
    const outcome = await planner.plan('/bosun dance', ctx);
    expect(isPlanningError(outcome) && outcome.error).toContain('Bosun does not know "dance"');
  });

  it('needs a pull request for PR commands', async () => {
    const outcome = await planner.plan('/bosun merge', { ...ctx, pullRequestId: undefined });
    expect(outcome).toMatchObject({ error: '`/bosun merge [merge_commit|squash|fast_forward]` works in a pull request comment.' });
  });

  it('says when free text is not enabled', async () => {
    const outcome = await createCommandPlanner().plan('/bosun ask do things', ctx);
    expect(isPlanningError(outcome)).toBe(true);
  });
});
