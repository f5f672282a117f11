/**
 * A whole pull request's life through the client against the sandbox, with Bosun installed:
 * branch and PR by bob, INPROGRESS then SUCCESSFUL build status by the app, approval by carol
 * (a reviewer's approval must come from the person, through her OAuth connection, not from the
 * app's bot account), async merge by bob (202 + task polling) → MERGED, and every webhook the
 * sandbox sent reached Bosun's delivery store exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BitbucketClient } from '../../server/bitbucket';
import type { TenantWithSecret } from '../../server/storage';
import { connectUser, sandboxUser } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from './contract-context';

const WORKSPACE = 'acme';
const REPO = 'web';

describe('lifecycle through the client: branch → PR → statuses → approve → async merge', () => {
  let stack: RunningStack;
  let tenant: TenantWithSecret;
  let app: BitbucketClient;
  let bob: BitbucketClient;
  let carol: BitbucketClient;

  beforeAll(async () => {
    stack = await startStack({ oauth: {}, sandbox: { asyncMergeMs: 150 } });
    await connectUser(stack, 'bob');
    await connectUser(stack, 'carol');
    const { tenants, clients, userClients } = stack.bosun.services.deps;
    tenant = (await tenants.getWithSecret(stack.installation.clientKey))!;
    app = clients.forTenant(tenant);
    bob = await userClients.forUser(tenant, sandboxUser(stack, 'bob').uuid, ['repository:write', 'pullrequest:write']);
    carol = await userClients.forUser(tenant, sandboxUser(stack, 'carol').uuid, ['pullrequest:write']);
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('merges the PR once and Bosun records each webhook exactly once', async () => {
    const clientKey = stack.installation.clientKey;
    const deliveriesBefore = stack.sandbox.deliveries.length;
    const branchName = `feature/lifecycle-${Date.now().toString(36)}`;

    const main = await app.branches.get(WORKSPACE, REPO, 'main');
    const branch = await bob.branches.create(WORKSPACE, REPO, { name: branchName, target: { hash: main.target!.hash } });
    expect(branch.name).toBe(branchName);
    // A developer pushes work onto the branch (git push is not part of the REST API).
    const head = stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: branchName, actor: 'bob', message: 'Implement the lifecycle' });

    const pr = await bob.pullRequests.create(WORKSPACE, REPO, {
      title: 'Lifecycle through the client',
      source: { branch: { name: branchName } },
      destination: { branch: { name: 'main' } },
      close_source_branch: true,
    });
    expect(pr.state).toBe('OPEN');

    const status = { key: 'bosun-lifecycle', url: 'https://ci.acme.test/lifecycle/1', name: 'Lifecycle build', refname: branchName };
    expect((await app.statuses.createBuild(WORKSPACE, REPO, head.hash, { ...status, state: 'INPROGRESS' })).state).toBe('INPROGRESS');
    expect((await app.statuses.createBuild(WORKSPACE, REPO, head.hash, { ...status, state: 'SUCCESSFUL' })).state).toBe('SUCCESSFUL');
    expect((await app.pullRequests.listStatuses(WORKSPACE, REPO, pr.id)).map((s) => s.state)).toEqual(['SUCCESSFUL']);

    const approval = await carol.pullRequests.approve(WORKSPACE, REPO, pr.id);
    expect(approval.approved).toBe(true);

    const merged = await bob.pullRequests.merge(WORKSPACE, REPO, pr.id, { merge_strategy: 'merge_commit' }, { async: true, pollIntervalMs: 50 });
    expect(merged.state).toBe('MERGED');
    expect((await app.pullRequests.get(WORKSPACE, REPO, pr.id)).state).toBe('MERGED');
    const sandboxPr = stack.sandbox.state.pullRequests.find((p) => p.id === pr.id && p.title === 'Lifecycle through the client')!;
    expect(sandboxPr.state).toBe('MERGED');
    expect((await app.branches.get(WORKSPACE, REPO, 'main')).target!.hash).toBe(sandboxPr.mergeCommit);

    // Every webhook the sandbox sent to Bosun for this story, and what Bosun stored.
    await stack.sandbox.idle();
    const sent = stack.sandbox.deliveries.slice(deliveriesBefore).filter((d) => d.kind === 'connect' && d.clientKey === clientKey);
    const sentUuids = [...new Set(sent.map((d) => d.requestUuid))];
    const expectedEvents = [
      'pullrequest:created',
      'repo:commit_status_created',
      'repo:commit_status_updated',
      'pullrequest:approved',
      'pullrequest:fulfilled',
      'repo:push',
    ];
    const stored = await waitFor(async () => {
      const rows = (await stack.bosun.services.deps.deliveries.listRecent(clientKey, 100)).filter((d) => sentUuids.includes(d.requestUuid));
      return rows.length >= sentUuids.length ? rows : undefined;
    }, 'Bosun to store every delivery');

    expect(sent.every((d) => d.status !== undefined && d.status >= 200 && d.status < 300), JSON.stringify(sent)).toBe(true);
    // Exactly once each: one stored row per X-Request-UUID, and no retry was needed.
    expect(stored.map((d) => d.requestUuid).sort()).toEqual([...sentUuids].sort());
    expect(sent.length).toBe(sentUuids.length);
    for (const event of expectedEvents) expect(stored.map((d) => d.eventKey), event).toContain(event);
    const once = (event: string) => stored.filter((d) => d.eventKey === event && d.pullrequestId === pr.id).length;
    for (const event of ['pullrequest:created', 'pullrequest:approved', 'pullrequest:fulfilled']) expect(once(event), event).toBe(1);
    const statusEvents = stored.filter((d) => d.eventKey.startsWith('repo:commit_status_')).map((d) => d.eventKey);
    expect(statusEvents.sort()).toEqual(['repo:commit_status_created', 'repo:commit_status_updated']);
    // The pushes: the branch created, its commit, and main moved by the merge.
    expect(stored.filter((d) => d.eventKey === 'repo:push').length).toBeGreaterThanOrEqual(1);
    expect(stored.map((d) => d.eventKey).sort()).toEqual(sent.map((d) => d.event).sort());
  });
});
