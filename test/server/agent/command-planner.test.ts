import { describe, expect, it } from 'vitest';
import {
  createCommandPlanner,
  createDefaultToolCatalog,
  createMemoryAutoMergeStore,
  createNaturalLanguagePlanner,
  isPlanningError,
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
  ])('%s', async (text, steps) => {
    const plan = await planner.plan(text, ctx);
    if (isPlanningError(plan)) throw new Error(plan.error);
    expect(plan.steps).toEqual(steps);
    for (const step of plan.steps) expect(tools.get(step.tool)?.input.safeParse(step.input).success).toBe(true);
  });

  it('answers help with a comment listing the commands', async () => {
    const plan = await planner.plan('/bosun help', ctx);
    if (isPlanningError(plan)) throw new Error(plan.error);
    expect(plan.steps[0]?.tool).toBe('pullRequest.comment');
    expect((plan.steps[0]?.input as { body: string }).body).toContain('/bosun merge when green');
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
