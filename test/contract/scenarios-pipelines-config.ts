/** Scenarios: whether Pipelines is enabled for a repository. */
import { expect } from 'vitest';
import type { ScenarioTable } from './scenario';

export const PIPELINES_CONFIG_SCENARIOS: ScenarioTable<'pipelinesConfig'> = {
  'pipelinesConfig.get': async (ctx) => {
    const repo = ctx.stack.sandbox.state.repositories.find((r) => r.slug === ctx.repo)!;
    repo.pipelinesEnabled = true;
    expect((await ctx.user.pipelinesConfig.get(ctx.workspace, ctx.repo)).enabled).toBe(true);
  },
  'pipelinesConfig.update': async (ctx) => {
    expect((await ctx.user.pipelinesConfig.update(ctx.workspace, ctx.repo, { enabled: false })).enabled).toBe(false);
    expect(ctx.stack.sandbox.state.repositories.find((r) => r.slug === ctx.repo)!.pipelinesEnabled).toBe(false);
    expect((await ctx.user.pipelinesConfig.update(ctx.workspace, ctx.repo, { enabled: true })).enabled).toBe(true);
  },
};
