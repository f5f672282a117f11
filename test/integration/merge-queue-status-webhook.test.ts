import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachQueueCi, type AttachedQueueCi } from '../../sandbox/queue-ci';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

/**
 * The green status of a batch's tested commit reaches the queue through its webhook: with the CI
 * watch's next read ten minutes away, the batch still lands right after CI reports.
 */
describe.each(testDatabaseKinds())('merge queue: status webhooks on the tested commit (%s)', (kind) => {
  let stack: RunningStack;
  let ci: AttachedQueueCi;
  beforeAll(async () => {
    stack = await startStack({ database: kind, webhookRetryDelaysMs: [50, 100], mergeQueueCiPollMs: 600_000, sandbox: { asyncMergeMs: 20, rateLimitPerHour: 0 } });
    ci = attachQueueCi(stack.sandbox, { workspace: 'acme', repo: 'web', durationMs: 500 });
  });
  afterAll(async () => {
    ci?.stop();
    await stack?.close();
  });

  it('lands the batch within seconds of the green status, without waiting for the watch', async () => {
    const repo = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/golf', actor: 'bob', message: 'golf', files: { 'golf.txt': 'golf\n' } });
    const id = stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'golf', sourceBranch: 'feature/golf' }).id;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun queue');
    await waitFor(() => ci.tested.length === 1, 'queue CI to report', 15_000, 20);
    const greenAt = Date.now();
    await waitFor(() => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repo.uuid && p.id === id)!.state === 'MERGED', 'the landing', 15_000, 20);
    const tookMs = Date.now() - greenAt;
    // One check run on a shared machine, not a figure: the bound only says the watch (10 min away) was not needed.
    expect(tookMs).toBeLessThan(10_000);
    const jobs = await stack.bosun.services.automation.queue.list(stack.installation.clientKey, { limit: 500 });
    expect(jobs.some((j) => j.type === 'merge-queue.status' && j.state === 'succeeded')).toBe(true);
  });
});
