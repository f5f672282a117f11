/** Scenarios: default reviewers, branch restrictions, repository webhooks and Pipelines. */
import { expect } from 'vitest';
import type { ContractContext } from './contract-context';
import type { ScenarioTable } from './scenario';

const CAROL_UUID = '{ca201000-0000-4000-8000-000000000003}';
const DAVE_UUID = '{da7e0000-0000-4000-8000-000000000004}';

const repoRef = (ctx: ContractContext) => ({ workspace: ctx.workspace, repo: ctx.repo });

/** A pipeline on a fresh branch, started in the sandbox; resolves once its first step has run. */
async function finishedPipeline(ctx: ContractContext) {
  const branch = ctx.newBranch('contract/pipeline');
  const started = ctx.stack.sandbox.actions.triggerPipeline({ workspace: ctx.workspace, repo: ctx.repo, actor: 'alice', refName: branch.name });
  return ctx.waitFor(() => {
    const p = ctx.stack.sandbox.state.pipelines.find((x) => x.uuid === started.uuid);
    return p?.state === 'COMPLETED' ? p : undefined;
  }, 'the pipeline to complete');
}

export const ADMIN_SCENARIOS: ScenarioTable<'defaultReviewers' | 'branchRestrictions' | 'webhooks' | 'pipelines'> = {
  'defaultReviewers.list': async (ctx) => {
    ctx.stack.sandbox.actions.addDefaultReviewer(repoRef(ctx), 'dave');
    expect((await ctx.user.defaultReviewers.list(ctx.workspace, ctx.repo)).map((a) => a.uuid)).toContain(DAVE_UUID);
  },
  'defaultReviewers.add': async (ctx) => expect((await ctx.user.defaultReviewers.add(ctx.workspace, ctx.repo, CAROL_UUID)).uuid).toBe(CAROL_UUID),
  'defaultReviewers.remove': async (ctx) => {
    ctx.stack.sandbox.actions.addDefaultReviewer(repoRef(ctx), 'carol');
    await ctx.user.defaultReviewers.remove(ctx.workspace, ctx.repo, CAROL_UUID);
  },
  'defaultReviewers.listEffective': async (ctx) => {
    ctx.stack.sandbox.actions.addDefaultReviewer(repoRef(ctx), 'dave');
    expect((await ctx.app.defaultReviewers.listEffective(ctx.workspace, ctx.repo)).map((r) => r.user.uuid)).toContain(DAVE_UUID);
  },

  // Restrictions only on contract/* so that merges elsewhere in the suite are not refused.
  'branchRestrictions.list': async (ctx) => {
    ctx.stack.sandbox.actions.createBranchRestriction(repoRef(ctx), { kind: 'require_approvals_to_merge', branchMatchKind: 'glob', pattern: 'contract/listed/*', value: 2 });
    const listed = await ctx.user.branchRestrictions.list(ctx.workspace, ctx.repo, { kind: 'require_approvals_to_merge', pattern: 'contract/listed/*' });
    expect(listed.map((r) => r.value)).toEqual([2]);
  },
  'branchRestrictions.get': async (ctx) => {
    const created = ctx.stack.sandbox.actions.createBranchRestriction(repoRef(ctx), { kind: 'push', branchMatchKind: 'glob', pattern: 'contract/frozen', users: ['alice'] });
    expect((await ctx.user.branchRestrictions.get(ctx.workspace, ctx.repo, created.id)).kind).toBe('push');
  },
  'branchRestrictions.create': async (ctx) => {
    const created = await ctx.user.branchRestrictions.create(ctx.workspace, ctx.repo, {
      kind: 'require_passing_builds_to_merge',
      branch_match_kind: 'glob',
      pattern: 'contract/created/*',
      value: 1,
    });
    expect(created.id).toBeGreaterThan(0);
  },
  'branchRestrictions.update': async (ctx) => {
    const created = ctx.stack.sandbox.actions.createBranchRestriction(repoRef(ctx), { kind: 'require_approvals_to_merge', branchMatchKind: 'glob', pattern: 'contract/update/*', value: 1 });
    expect((await ctx.user.branchRestrictions.update(ctx.workspace, ctx.repo, created.id, { value: 3 })).value).toBe(3);
  },
  'branchRestrictions.delete': async (ctx) => {
    const created = ctx.stack.sandbox.actions.createBranchRestriction(repoRef(ctx), { kind: 'delete', branchMatchKind: 'branching_model', branchType: 'release' });
    await ctx.user.branchRestrictions.delete(ctx.workspace, ctx.repo, created.id);
  },

  'webhooks.list': async (ctx) => {
    ctx.stack.sandbox.actions.createWebhook(repoRef(ctx), { url: 'https://hooks.example.test/list', description: 'listed', active: false, events: ['repo:push'] });
    expect((await ctx.user.webhooks.list(ctx.workspace, ctx.repo)).map((h) => h.description)).toContain('listed');
  },
  'webhooks.create': async (ctx) => {
    const hook = await ctx.user.webhooks.create(ctx.workspace, ctx.repo, {
      description: 'contract hook',
      url: 'https://hooks.example.test/create',
      active: false,
      events: ['pullrequest:fulfilled', 'repo:push'],
      secret: 'contract-secret-0123456789',
    });
    expect(hook.events).toContain('repo:push');
  },
  'webhooks.get': async (ctx) => {
    const hook = ctx.stack.sandbox.actions.createWebhook(repoRef(ctx), { url: 'https://hooks.example.test/get', description: 'got', active: false, events: ['repo:push'] });
    expect((await ctx.user.webhooks.get(ctx.workspace, ctx.repo, hook.uuid)).uuid).toBe(hook.uuid);
  },
  'webhooks.update': async (ctx) => {
    const hook = ctx.stack.sandbox.actions.createWebhook(repoRef(ctx), { url: 'https://hooks.example.test/update', description: 'before', active: false, events: ['repo:push'] });
    const updated = await ctx.user.webhooks.update(ctx.workspace, ctx.repo, hook.uuid, { description: 'after', events: ['repo:push', 'pullrequest:created'] });
    expect(updated.description).toBe('after');
  },
  'webhooks.delete': async (ctx) => {
    const hook = ctx.stack.sandbox.actions.createWebhook(repoRef(ctx), { url: 'https://hooks.example.test/delete', description: 'gone', active: false, events: ['repo:push'] });
    await ctx.user.webhooks.delete(ctx.workspace, ctx.repo, hook.uuid);
  },

  'pipelines.list': async (ctx) => {
    const done = await finishedPipeline(ctx);
    const listed = await ctx.user.pipelines.list(ctx.workspace, ctx.repo, { sort: '-created_on', 'target.branch': done.refName, max: 5 });
    expect(listed.map((p) => p.uuid)).toEqual([done.uuid]);
  },
  'pipelines.get': async (ctx) => {
    const done = await finishedPipeline(ctx);
    expect((await ctx.user.pipelines.get(ctx.workspace, ctx.repo, done.uuid)).uuid).toBe(done.uuid);
  },
  'pipelines.trigger': async (ctx) => {
    const branch = ctx.newBranch('contract/trigger');
    const started = await ctx.user.pipelines.trigger(ctx.workspace, ctx.repo, {
      target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: branch.name, commit: { type: 'commit', hash: branch.hash } },
    });
    expect(started.uuid).toMatch(/^\{/);
  },
  'pipelines.stop': async (ctx) => {
    const branch = ctx.newBranch('contract/stop');
    const started = ctx.stack.sandbox.actions.triggerPipeline({ workspace: ctx.workspace, repo: ctx.repo, actor: 'alice', refName: branch.name });
    await ctx.user.pipelines.stop(ctx.workspace, ctx.repo, started.uuid);
  },
  'pipelines.listSteps': async (ctx) => {
    const done = await finishedPipeline(ctx);
    expect((await ctx.user.pipelines.listSteps(ctx.workspace, ctx.repo, done.uuid)).length).toBe(done.steps.length);
  },
  'pipelines.getStep': async (ctx) => {
    const done = await finishedPipeline(ctx);
    const step = done.steps[0]!;
    expect((await ctx.user.pipelines.getStep(ctx.workspace, ctx.repo, done.uuid, step.uuid)).uuid).toBe(step.uuid);
  },
  'pipelines.getStepLog': async (ctx) => {
    const done = await finishedPipeline(ctx);
    const step = done.steps[0]!;
    expect(await ctx.user.pipelines.getStepLog(ctx.workspace, ctx.repo, done.uuid, step.uuid)).not.toBe('');
  },
};
