/** Scenarios: pull requests, their comments, tasks, history and merging. */
import { expect } from 'vitest';
import type { ContractContext } from './contract-context';
import type { ScenarioTable } from './scenario';

const ref = (ctx: ContractContext, id: number) => ({ workspace: ctx.workspace, repo: ctx.repo, id });
const appUser = (ctx: ContractContext) => ctx.stack.installation.appUserUuid;

export const PULL_REQUEST_SCENARIOS: ScenarioTable<'pullRequests'> = {
  'pullRequests.list': async (ctx) => {
    const pr = ctx.newPullRequest();
    const listed = await ctx.app.pullRequests.list(ctx.workspace, ctx.repo, {
      state: ['OPEN', 'MERGED'],
      q: `source.branch.name = "${pr.source.branch}"`,
      sort: '-updated_on',
      withParticipants: true,
    });
    expect(listed.map((p) => p.id)).toEqual([pr.id]);
  },
  'pullRequests.get': async (ctx) => {
    const pr = ctx.newPullRequest();
    expect((await ctx.app.pullRequests.get(ctx.workspace, ctx.repo, pr.id)).title).toBe(pr.title);
  },
  'pullRequests.create': async (ctx) => {
    const branch = ctx.newBranch('contract/create-pr');
    const created = await ctx.user.pullRequests.create(ctx.workspace, ctx.repo, {
      title: `Contract: ${branch.name}`,
      source: { branch: { name: branch.name } },
      destination: { branch: { name: 'main' } },
      description: 'Opened by the contract suite',
      close_source_branch: true,
      reviewers: [{ uuid: '{ca201000-0000-4000-8000-000000000003}' }],
    });
    expect(created.state).toBe('OPEN');
  },
  'pullRequests.update': async (ctx) => {
    const pr = ctx.newPullRequest();
    const updated = await ctx.user.pullRequests.update(ctx.workspace, ctx.repo, pr.id, { title: 'Renamed by the contract suite', description: 'New text' });
    expect(updated.title).toBe('Renamed by the contract suite');
  },
  'pullRequests.approve': async (ctx) => {
    const pr = ctx.newPullRequest();
    expect((await ctx.user.pullRequests.approve(ctx.workspace, ctx.repo, pr.id)).approved).toBe(true);
  },
  'pullRequests.unapprove': async (ctx) => {
    const pr = ctx.newPullRequest();
    ctx.stack.sandbox.actions.approve(ref(ctx, pr.id), 'alice');
    await ctx.user.pullRequests.unapprove(ctx.workspace, ctx.repo, pr.id);
  },
  'pullRequests.requestChanges': async (ctx) => {
    const pr = ctx.newPullRequest();
    expect((await ctx.user.pullRequests.requestChanges(ctx.workspace, ctx.repo, pr.id)).state).toBe('changes_requested');
  },
  'pullRequests.removeChangeRequest': async (ctx) => {
    const pr = ctx.newPullRequest();
    ctx.stack.sandbox.actions.requestChanges(ref(ctx, pr.id), 'alice');
    await ctx.user.pullRequests.removeChangeRequest(ctx.workspace, ctx.repo, pr.id);
  },
  'pullRequests.decline': async (ctx) => {
    const pr = ctx.newPullRequest();
    expect((await ctx.user.pullRequests.decline(ctx.workspace, ctx.repo, pr.id)).state).toBe('DECLINED');
  },
  'pullRequests.merge': async (ctx) => {
    const pr = ctx.newPullRequest();
    const merged = await ctx.user.pullRequests.merge(
      ctx.workspace,
      ctx.repo,
      pr.id,
      { merge_strategy: 'squash', message: 'Merged by the contract suite', close_source_branch: true },
      { async: true, pollIntervalMs: 30 },
    );
    expect(merged.state).toBe('MERGED');
  },
  'pullRequests.listStatuses': async (ctx) => {
    const pr = ctx.newPullRequest();
    ctx.stack.sandbox.actions.setCommitStatus({ workspace: ctx.workspace, repo: ctx.repo, commit: pr.source.hash, actor: 'bob', key: 'ci', state: 'INPROGRESS', url: 'https://ci.acme.test/pr' });
    expect((await ctx.app.pullRequests.listStatuses(ctx.workspace, ctx.repo, pr.id)).map((s) => s.key)).toEqual(['ci']);
  },
  'pullRequests.listComments': async (ctx) => {
    const pr = ctx.newPullRequest();
    const top = ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), 'carol', 'Top-level remark');
    ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), 'bob', 'A reply', { parentId: top.id });
    ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), 'carol', 'Inline remark', { inline: { path: 'README.md', to: 1 } });
    const carols = await ctx.app.pullRequests.listComments(ctx.workspace, ctx.repo, pr.id, { q: 'user.uuid = "{ca201000-0000-4000-8000-000000000003}"' });
    expect(carols.map((c) => c.content.raw)).toEqual(['Top-level remark', 'Inline remark']);
  },
  'pullRequests.createComment': async (ctx) => {
    const pr = ctx.newPullRequest();
    const created = await ctx.app.pullRequests.createComment(ctx.workspace, ctx.repo, pr.id, {
      content: { raw: 'Bosun checked this PR.\n\n[//]: # (bosun:contract)' },
      inline: { path: 'README.md', to: 1 },
    });
    expect(created.content.raw).toContain('bosun:contract');
  },
  'pullRequests.updateComment': async (ctx) => {
    const pr = ctx.newPullRequest();
    const comment = ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), appUser(ctx), 'Sticky v1');
    const updated = await ctx.app.pullRequests.updateComment(ctx.workspace, ctx.repo, pr.id, comment.id, { content: { raw: 'Sticky v2' } });
    expect(updated.content.raw).toBe('Sticky v2');
  },
  'pullRequests.deleteComment': async (ctx) => {
    const pr = ctx.newPullRequest();
    const comment = ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), appUser(ctx), 'Soon gone');
    await ctx.app.pullRequests.deleteComment(ctx.workspace, ctx.repo, pr.id, comment.id);
  },
  'pullRequests.listActivity': async (ctx) => {
    const pr = ctx.newPullRequest();
    ctx.stack.sandbox.actions.approve(ref(ctx, pr.id), 'carol');
    ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), 'carol', 'Nice');
    expect((await ctx.app.pullRequests.listActivity(ctx.workspace, ctx.repo, pr.id)).length).toBeGreaterThanOrEqual(3);
  },
  'pullRequests.getDiffstat': async (ctx) => {
    const pr = ctx.newPullRequest();
    expect((await ctx.app.pullRequests.getDiffstat(ctx.workspace, ctx.repo, pr.id)).length).toBeGreaterThanOrEqual(1);
  },
  'pullRequests.listCommits': async (ctx) => {
    const pr = ctx.newPullRequest();
    expect((await ctx.app.pullRequests.listCommits(ctx.workspace, ctx.repo, pr.id)).map((c) => c.hash)).toEqual([pr.source.hash]);
  },
  'pullRequests.listTasks': async (ctx) => {
    const pr = ctx.newPullRequest();
    ctx.stack.sandbox.actions.createTask(ref(ctx, pr.id), 'carol', { raw: 'Add a test' });
    const tasks = await ctx.app.pullRequests.listTasks(ctx.workspace, ctx.repo, pr.id, { q: 'state = "UNRESOLVED"', sort: 'created_on' });
    expect(tasks.map((t) => t.content.raw)).toEqual(['Add a test']);
  },
  'pullRequests.createTask': async (ctx) => {
    const pr = ctx.newPullRequest();
    const comment = ctx.stack.sandbox.actions.addComment(ref(ctx, pr.id), 'carol', 'Please fix');
    const task = await ctx.user.pullRequests.createTask(ctx.workspace, ctx.repo, pr.id, { content: { raw: 'Fix it' }, comment: { id: comment.id }, pending: false });
    expect(task.state).toBe('UNRESOLVED');
  },
  'pullRequests.updateTask': async (ctx) => {
    const pr = ctx.newPullRequest();
    const task = ctx.stack.sandbox.actions.createTask(ref(ctx, pr.id), 'carol', { raw: 'Rename the helper' });
    expect((await ctx.user.pullRequests.updateTask(ctx.workspace, ctx.repo, pr.id, task.id, { state: 'RESOLVED' })).state).toBe('RESOLVED');
  },
};
