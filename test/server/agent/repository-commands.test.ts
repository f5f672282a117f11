import { describe, expect, it } from 'vitest';
import { createCommandPlanner, createDefaultToolCatalog, createMemoryAutoMergeStore, createNaturalLanguagePlanner, isClarification, isPlanningError, type PlannerContext } from '../../../server/agent';
import { createMemoryRepositoryTemplateStore } from '../../../server/policies/memory-repository-template-store';
import { tenant } from './agent-fakes';

const tools = createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore(), templates: createMemoryRepositoryTemplateStore() });
const ctx: PlannerContext = { tenant, repo: { workspace: 'acme', slug: 'web' }, pullRequestId: 7, tools };
const repo = { workspace: 'acme', repo: 'web' };

describe('repository management from a PR comment (/bosun ask …)', () => {
  const planner = createCommandPlanner({ ask: createNaturalLanguagePlanner() });

  it.each([
    ['/bosun ask require 2 approvals on main', [{ tool: 'branchRestriction.ensure', input: { ...repo, kind: 'require_approvals_to_merge', pattern: 'main', value: 2 } }]],
    ['/bosun ask make carol a default reviewer', [{ tool: 'defaultReviewer.add', input: { ...repo, users: ['carol'] } }]],
    ['/bosun ask list stale branches', [{ tool: 'branch.listStale', input: repo }]],
    ['/bosun ask apply template service', [{ tool: 'repository.applyTemplate', input: { ...repo, template: 'service' } }]],
    ['/bosun ask check drift', [{ tool: 'repository.checkDrift', input: { workspace: 'acme' } }]],
  ])('%s', async (text, steps) => {
    const plan = await planner.plan(text, ctx);
    if (isPlanningError(plan) || isClarification(plan)) throw new Error(JSON.stringify(plan));
    expect(plan.steps).toEqual(steps);
    for (const step of plan.steps) expect(tools.get(step.tool)?.input.safeParse(step.input).success).toBe(true);
  });

  it.each([
    ['/bosun drift', [{ tool: 'repository.checkDrift', input: { workspace: 'acme', repos: ['web'] } }]],
    // Without `confirm` only the preview runs, and its reply says what to type to apply.
    ['/bosun apply-template service', [{ tool: 'repository.previewTemplate', input: { workspace: 'acme', repos: ['web'], template: 'service', confirmWith: '/bosun apply-template service confirm' } }]],
    ['/bosun apply-template service confirm', [{ tool: 'repository.applyTemplate', input: { ...repo, template: 'service' } }]],
    ['/bosun apply template service yes', [{ tool: 'repository.applyTemplate', input: { ...repo, template: 'service' } }]],
  ])('dedicated command %s', async (text, steps) => {
    const plan = await planner.plan(text, ctx);
    if (isPlanningError(plan) || isClarification(plan)) throw new Error(JSON.stringify(plan));
    expect(plan.source).toBe('command');
    expect(plan.steps).toEqual(steps);
    for (const step of plan.steps) expect(tools.get(step.tool)?.input.safeParse(step.input).success).toBe(true);
  });

  it.each([
    ['/bosun apply-template', 'Write it as'],
    ['/bosun apply-template Service_1', 'Not a template name'],
    ['/bosun apply-template service now', 'Write it as'],
    ['/bosun apply the template', 'Did you mean'],
    ['/bosun drift please', 'takes no arguments'],
  ])('refuses %s with the usage', async (text, error) => {
    const plan = await planner.plan(text, ctx);
    expect(isPlanningError(plan) && plan.error).toContain(error);
  });

  it('without a template store the template tools are not offered, and the request is not planned as one', async () => {
    const bare = { ...ctx, tools: createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore() }) };
    expect(bare.tools.get('repository.applyTemplate')).toBeUndefined();
    const plan = await planner.plan('/bosun ask apply template service', bare);
    expect(isPlanningError(plan) || isClarification(plan) || plan.steps.every((s) => s.tool !== 'repository.applyTemplate')).toBe(true);
  });
});
