import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';
import { sandboxUser } from '../helpers/oauth-dance';

describe('a pending merge when green in the PR panel (browser)', () => {
  const env = useBrowserStack();

  it('shows who armed it, and Cancel ends it', async () => {
    const { stack } = env;
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const bob = sandboxUser(stack, 'bob');
    const armed = await stack.bosun.services.automation.executor.execute(
      { summary: 'Merge #2 when green', source: 'natural-language', steps: [{ tool: 'pullRequest.mergeWhenGreen', input: { repo: 'web', pullRequestId: 2 } }] },
      { tenant: { clientKey: stack.installation.clientKey, workspace: 'acme' }, actor: { kind: 'user', userUuid: bob.uuid, accountId: bob.accountId } },
      { idempotencyKey: `test:${randomUUID()}`, confirmed: true, trigger: { kind: 'panel', ref: 'pr-panel' } },
    );
    expect(armed.outcome).toBe('succeeded');

    await env.page.goto(`${stack.sandboxUrl}/acme/web/pull-requests/2?as=carol`);
    const panel = env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');
    await panel.getByTestId('pending-merge').waitFor({ timeout: 15_000 });
    expect(await panel.getByTestId('pending-merge-requester').innerText()).toBe('armed by Bob Builder');
    await panel.getByTestId('pending-merge-cancel').click();
    await panel.getByTestId('pending-merges').waitFor({ state: 'detached', timeout: 15_000 });
    const left = await stack.bosun.services.automation.autoMerges.listPending(stack.installation.clientKey, { repositoryUuid: web.uuid, pullRequestId: 2 });
    expect(left).toEqual([]);
  });
});
