import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../server/agent';
import { startAgentStack, type AgentStack } from './start-agent-stack';

let stack: AgentStack;
let n = 0;

const users = {
  alice: '{a11ce000-0000-4000-8000-000000000001}',
  bob: '{b0b00000-0000-4000-8000-000000000002}',
  carol: '{ca201000-0000-4000-8000-000000000003}',
  dave: '{da7e0000-0000-4000-8000-000000000004}',
};

beforeAll(async () => {
  stack = await startAgentStack();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

function ctx(userUuid: string | null = users.alice) {
  return {
    tenant: { clientKey: stack.clientKey, workspace: 'acme' },
    actor: { userUuid, accountId: null, kind: userUuid ? ('user' as const) : ('rule' as const) },
  };
}

async function run(tool: string, input: Record<string, unknown>, opts: { confirmed?: boolean; userUuid?: string | null } = {}) {
  const plan: Plan = { steps: [{ tool, input }], summary: tool, source: 'button' };
  n += 1;
  return stack.executor.execute(plan, ctx(opts.userUuid === undefined ? users.alice : opts.userUuid), {
    idempotencyKey: `it-${n}`,
    confirmed: opts.confirmed ?? false,
    trigger: { kind: 'test', ref: null },
  });
}

const repoOf = (slug: string) => {
  const repo = stack.sandbox.state.repositories.find((r) => r.slug === slug);
  if (!repo) throw new Error(`no repo ${slug}`);
  return repo;
};
const branchOf = (slug: string, name: string) => stack.sandbox.state.branches.find((b) => b.repoUuid === repoOf(slug).uuid && b.name === name);
const prOf = (slug: string, id: number) => {
  const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repoOf(slug).uuid && p.id === id);
  if (!pr) throw new Error(`no PR ${slug}#${id}`);
  return pr;
};

describe('repository tools', () => {
  it('lists the workspace repositories', async () => {
    const result = await run('repository.list', {});
    expect(result.outcome).toBe('succeeded');
    expect(result.message).toContain('acme/web');
    expect(result.message).toContain('acme/api');
  });

  it('gets one repository', async () => {
    const result = await run('repository.get', { repo: 'web' });
    expect(result.message).toBe('acme/web: main branch main, private.');
    expect(result.steps[0]?.links[0]?.url).toMatch(/\/acme\/web$/);
  });

  it('creates a repository once, even when asked twice', async () => {
    const first = await run('repository.create', { repo: 'agent-made', description: 'made by a test' });
    const second = await run('repository.create', { repo: 'agent-made' });
    expect(first.outcome).toBe('succeeded');
    expect(second.message).toContain('already exists');
    expect(stack.sandbox.state.repositories.filter((r) => r.slug === 'agent-made')).toHaveLength(1);
  });
});

describe('branch tools', () => {
  it('creates a branch from another branch, idempotently', async () => {
    const main = branchOf('web', 'main');
    const result = await run('branch.create', { repo: 'web', name: 'hotfix/agent-x', from: 'main' });
    expect(result.outcome).toBe('succeeded');
    expect(branchOf('web', 'hotfix/agent-x')?.target).toBe(main?.target);
    const again = await run('branch.create', { repo: 'web', name: 'hotfix/agent-x', from: 'main' });
    expect(again.outcome).toBe('succeeded');
    expect(again.message).toContain('already exists');
  });

  it('deletes a branch only with confirmation, and never the main branch', async () => {
    await run('branch.create', { repo: 'web', name: 'chore/agent-delete-me', from: 'main' });
    await expect(run('branch.delete', { repo: 'web', name: 'chore/agent-delete-me' })).rejects.toMatchObject({ code: 'AGENT_CONFIRMATION_REQUIRED' });
    expect(branchOf('web', 'chore/agent-delete-me')).toBeDefined();
    const deleted = await run('branch.delete', { repo: 'web', name: 'chore/agent-delete-me' }, { confirmed: true });
    expect(deleted.outcome).toBe('succeeded');
    expect(branchOf('web', 'chore/agent-delete-me')).toBeUndefined();
    const main = await run('branch.delete', { repo: 'web', name: 'main' }, { confirmed: true });
    expect(main.outcome).toBe('failed');
    expect(main.message).toContain('is the main branch');
    expect(branchOf('web', 'main')).toBeDefined();
  });
});

describe('pull request tools', () => {
  it('opens a pull request once, updates it and declines it', async () => {
    await run('branch.create', { repo: 'api', name: 'feature/agent-open', from: 'main' });
    const opened = await run('pullRequest.open', { repo: 'api', source: 'feature/agent-open', destination: 'main', title: 'Agent PR', reviewers: ['@carol'] });
    if (opened.outcome !== 'succeeded') throw new Error(opened.message);
    const again = await run('pullRequest.open', { repo: 'api', source: 'feature/agent-open', title: 'Agent PR' });
    expect(again.message).toContain('already open');
    const prs = stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === repoOf('api').uuid && p.source.branch === 'feature/agent-open');
    expect(prs).toHaveLength(1);
    const pr = prs[0]!;
    expect(pr.reviewerUuids).toEqual([users.carol]);

    const updated = await run('pullRequest.update', { repo: 'api', pullRequestId: pr.id, title: 'Agent PR, renamed' });
    expect(updated.outcome).toBe('succeeded');
    expect(prOf('api', pr.id).title).toBe('Agent PR, renamed');

    const declined = await run('pullRequest.decline', { repo: 'api', pullRequestId: pr.id }, { confirmed: true });
    expect(declined.outcome).toBe('succeeded');
    expect(prOf('api', pr.id).state).toBe('DECLINED');
    const declinedAgain = await run('pullRequest.decline', { repo: 'api', pullRequestId: pr.id }, { confirmed: true });
    expect(declinedAgain.message).toContain('already declined');
  });

  it('keeps exactly one sticky comment when run twice', async () => {
    const first = await run('pullRequest.comment', { repo: 'web', pullRequestId: 1, body: 'Build summary: 1 check', stickyKey: 'summary' });
    const second = await run('pullRequest.comment', { repo: 'web', pullRequestId: 1, body: 'Build summary: 2 checks', stickyKey: 'summary' });
    expect(first.outcome).toBe('succeeded');
    expect(second.message).toContain("Updated Bosun's comment");
    const sticky = stack.sandbox.state.comments.filter(
      (c) => c.repoUuid === repoOf('web').uuid && c.prId === 1 && !c.deleted && c.raw.includes('<!-- bosun:sticky:summary -->'),
    );
    expect(sticky).toHaveLength(1);
    expect(sticky[0]?.raw).toContain('Build summary: 2 checks');
  });

  it('approves as the person who asked, not as the app', async () => {
    const result = await run('pullRequest.approve', { repo: 'web', pullRequestId: 3 }, { userUuid: users.alice });
    if (result.outcome !== 'succeeded') throw new Error(result.message);
    const participant = prOf('web', 3).participants.find((p) => p.userUuid === users.alice);
    expect(participant).toMatchObject({ approved: true });
  });

  it('requests changes as the person who asked', async () => {
    const result = await run('pullRequest.requestChanges', { repo: 'web', pullRequestId: 3 }, { userUuid: users.carol });
    if (result.outcome !== 'succeeded') throw new Error(result.message);
    expect(prOf('web', 3).participants.find((p) => p.userUuid === users.carol)).toMatchObject({ state: 'changes_requested' });
  });

  it('adds reviewers by nickname and keeps the existing ones', async () => {
    const before = [...prOf('web', 1).reviewerUuids];
    const result = await run('pullRequest.addReviewers', { repo: 'web', pullRequestId: 1, reviewers: ['@dave'] });
    if (result.outcome !== 'succeeded') throw new Error(result.message);
    expect(prOf('web', 1).reviewerUuids.sort()).toEqual([...before, users.dave].sort());
  });

  it('merges once: a second merge reports it is already merged', async () => {
    const result = await run('pullRequest.merge', { repo: 'api', pullRequestId: 1, strategy: 'squash' });
    if (result.outcome !== 'succeeded') throw new Error(result.message);
    const pr = prOf('api', 1);
    expect(pr.state).toBe('MERGED');
    const mergeCommit = pr.mergeCommit;
    const again = await run('pullRequest.merge', { repo: 'api', pullRequestId: 1 });
    expect(again.outcome).toBe('succeeded');
    expect(again.message).toContain('already merged');
    expect(prOf('api', 1).mergeCommit).toBe(mergeCommit);
  });

  it('records a merge-when-green request once and reports readiness', async () => {
    const first = await run('pullRequest.mergeWhenGreen', { repo: 'web', pullRequestId: 2 });
    const second = await run('pullRequest.mergeWhenGreen', { repo: 'web', pullRequestId: 2 });
    expect(first.outcome).toBe('succeeded');
    expect(second.message).toContain('already set');
    expect(stack.autoMerges.all().filter((a) => a.pullRequestId === 2 && a.state === 'pending')).toHaveLength(1);
    const status = await run('pullRequest.status', { repo: 'web', pullRequestId: 2 });
    expect(status.outcome).toBe('succeeded');
    expect(status.message).toContain('Build #42');
    const cancelled = await run('pullRequest.cancelAutoMerge', { repo: 'web', pullRequestId: 2 });
    expect(cancelled.message).toContain('Cancelled');
    expect(stack.autoMerges.all().find((a) => a.pullRequestId === 2)?.state).toBe('cancelled');
  });
});

describe('build status and pipeline tools', () => {
  it('reports a build status on a short hash, overwriting by key', async () => {
    const pr = prOf('web', 1);
    const short = pr.source.hash.slice(0, 12);
    await run('buildStatus.report', { repo: 'web', commit: short, state: 'INPROGRESS', name: 'lint', refname: pr.source.branch });
    const result = await run('buildStatus.report', { repo: 'web', commit: short, state: 'FAILED', name: 'lint', refname: pr.source.branch });
    if (result.outcome !== 'succeeded') throw new Error(result.message);
    const lint = stack.sandbox.state.statuses.filter((s) => s.repoUuid === repoOf('web').uuid && s.key === 'lint');
    expect(lint).toHaveLength(1);
    expect(lint[0]).toMatchObject({ state: 'FAILED', commitHash: pr.source.hash });
  });

  it('triggers, stops, and reruns the last failed pipeline with the same selector', async () => {
    const web = repoOf('web');
    const count = () => stack.sandbox.state.pipelines.filter((p) => p.repoUuid === web.uuid).length;
    const before = count();
    // Held in progress until stopped: with 20 ms steps it could otherwise finish before the stop (seen under load).
    const started = await run('pipeline.trigger', { repo: 'web', branch: 'main', selector: { type: 'custom', pattern: 'deploy' }, variables: [{ key: 'SANDBOX_HOLD', value: 'true' }] });
    if (started.outcome !== 'succeeded') throw new Error(started.message);
    expect(count()).toBe(before + 1);
    const buildNumber = (started.steps[0]?.summary ?? '').match(/#(\d+)/)?.[1];
    const stopped = await run('pipeline.stop', { repo: 'web', pipeline: Number(buildNumber) });
    expect(stopped.outcome).toBe('succeeded');
    expect(stack.sandbox.state.pipelines.find((p) => p.repoUuid === web.uuid && p.buildNumber === Number(buildNumber))?.result).toBe('STOPPED');

    const failing = await run('pipeline.trigger', { repo: 'web', branch: 'main', selector: { type: 'custom', pattern: 'fail' } });
    if (failing.outcome !== 'succeeded') throw new Error(failing.message);
    const failingNumber = Number((failing.steps[0]?.summary ?? '').match(/#(\d+)/)?.[1]);
    await expect.poll(() => stack.sandbox.state.pipelines.find((p) => p.repoUuid === web.uuid && p.buildNumber === failingNumber)?.result, { timeout: 5_000 }).toBe('FAILED');

    const rerun = await run('pipeline.rerunFailed', { repo: 'web', branch: 'main' });
    if (rerun.outcome !== 'succeeded') throw new Error(rerun.message);
    const newest = stack.sandbox.state.pipelines.filter((p) => p.repoUuid === web.uuid).sort((a, b) => b.buildNumber - a.buildNumber)[0];
    expect(newest?.buildNumber).toBeGreaterThan(failingNumber);
    expect(newest).toMatchObject({ refName: 'main', selector: { type: 'custom', pattern: 'fail' } });
  });
});
