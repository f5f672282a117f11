import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

describe.each(testDatabaseKinds())('Bosun installed into the sandbox (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind });
  });
  afterAll(async () => stack.close());

  it('stores the installation the sandbox made, with its workspace', async () => {
    const tenant = await stack.bosun.services.deps.tenants.getWithSecret(stack.installation.clientKey);
    expect(tenant).toMatchObject({ workspaceSlug: 'acme', baseUrl: stack.sandboxUrl, sharedSecret: stack.installation.sharedSecret });
  });

  it('receives the webhook of a PR approval exactly once, keyed by X-Request-UUID', async () => {
    stack.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 2 }, 'alice');
    await stack.sandbox.idle();
    const sent = stack.sandbox.deliveries.filter((d) => d.event === 'pullrequest:approved' && d.clientKey === stack.installation.clientKey);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.status).toBe(204);
    const stored = await stack.bosun.services.deps.deliveries.listRecent(stack.installation.clientKey, 10);
    const approved = stored.filter((d) => d.eventKey === 'pullrequest:approved');
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({ requestUuid: sent[0]!.requestUuid, pullrequestId: 2, attempt: 1 });
  });

  it('receives commit status events for a PR\'s source commit', async () => {
    const pr = stack.sandbox.state.repositories.find((r) => r.slug === 'web');
    expect(pr).toBeDefined();
    const panel = await fetch(`${stack.sandboxUrl}/2.0/repositories/acme/web/pullrequests/1`);
    // Unauthenticated REST reads are refused like Bitbucket's private repositories.
    expect(panel.status).toBe(401);
    const commit = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === pr!.uuid && p.id === 1)!.source.hash;
    stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit, actor: 'alice', key: 'ci-lint', state: 'FAILED', name: 'Lint', url: 'https://ci.example/1' });
    await stack.sandbox.idle();
    const stored = await stack.bosun.services.deps.deliveries.listRecent(stack.installation.clientKey, 10);
    expect(stored.some((d) => d.eventKey === 'repo:commit_status_created')).toBe(true);
  });

  it('uninstalling in the sandbox purges the tenant in Bosun, and no more webhooks are stored', async () => {
    await stack.sandbox.uninstall(stack.installation.clientKey);
    expect(await stack.bosun.services.deps.tenants.get(stack.installation.clientKey)).toBeNull();
    expect(await stack.bosun.services.deps.deliveries.count(stack.installation.clientKey)).toBe(0);
    stack.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 3 }, 'alice');
    await stack.sandbox.idle();
    expect(await stack.bosun.services.deps.deliveries.count(stack.installation.clientKey)).toBe(0);
  });
});
