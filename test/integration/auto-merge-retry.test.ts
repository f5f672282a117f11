import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

describe('merge when green after Bitbucket fails transiently', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ transientRetryMs: 300 });
  });
  afterAll(async () => stack.close());

  it('keeps the auto-merge armed through a 503 on merge, and merges once when Bitbucket recovers', async () => {
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const pr = () => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 1)!;
    const sticky = () => stack.sandbox.state.comments.find((c) => c.repoUuid === web.uuid && c.prId === 1 && c.raw.includes('<!-- bosun:sticky:bosun -->'))?.raw ?? '';
    // Every merge attempt of the first round fails (the client tries twice).
    stack.sandbox.faults.add({ method: 'POST', pathPattern: '/2.0/repositories/**/pullrequests/1/merge', status: 503, times: 2 });
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'bob', '/bosun merge when green');
    await waitFor(() => sticky().includes('once its builds pass'), 'the armed reply');
    const running = stack.sandbox.state.statuses.find((s) => s.repoUuid === web.uuid && s.state === 'INPROGRESS' && s.commitHash === pr().source.hash)!;
    stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: running.commitHash, actor: 'alice', key: running.key, state: 'SUCCESSFUL', name: running.name, url: running.url });
    await waitFor(() => pr().state === 'MERGED', 'the merge after the retry', 20_000);
    await waitFor(() => sticky().includes('merged #1'), 'the merged reply');
    const audit = await stack.bosun.services.automation.audit.list(stack.installation.clientKey, { tool: 'pullRequest.merge' });
    expect(audit.entries.map((e) => e.outcome).sort()).toEqual(['failed', 'succeeded']);
    const pending = await stack.bosun.services.db.models.AutoMerge.findAll({ where: { clientKey: stack.installation.clientKey } });
    expect(pending.map((a) => a.state)).toEqual(['merged']);
    expect(stack.sandbox.deliveries.filter((d) => d.event === 'pullrequest:fulfilled' && d.attempt === 1)).toHaveLength(1);
  });
});
