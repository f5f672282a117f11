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
  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const pr = (id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web().uuid && p.id === id)!;
  const mainHead = () => stack.sandbox.state.branches.find((b) => b.repoUuid === web().uuid && b.name === 'main')!.target;

  it('lands the batch within seconds of the green status, without waiting for the watch', async () => {
    const repo = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const base = mainHead();
    stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/golf', actor: 'bob', message: 'golf', files: { 'golf.txt': 'golf\n' } });
    const id = stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'golf', sourceBranch: 'feature/golf' }).id;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun queue');
    // The batch's head (creating the queue branch at main's head may get a run of its own).
    await waitFor(() => ci.tested.some((t) => t.commit !== base), 'queue CI to report', 15_000, 20);
    const greenAt = Date.now();
    await waitFor(() => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repo.uuid && p.id === id)!.state === 'MERGED', 'the landing', 15_000, 20);
    const tookMs = Date.now() - greenAt;
    // One check run on a shared machine, not a figure: the bound only says the watch (10 min away) was not needed.
    expect(tookMs).toBeLessThan(10_000);
    const jobs = await stack.bosun.services.automation.queue.list(stack.installation.clientKey, { limit: 500 });
    expect(jobs.some((j) => j.type === 'merge-queue.status' && j.state === 'succeeded')).toBe(true);
  });
  it('a storm of status webhooks for one queued PR, redelivered and new, before and during its landing, merges it once', async () => {
    ci.stop();
    ci = attachQueueCi(stack.sandbox, { workspace: 'acme', repo: 'web', durationMs: 2_000 });
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const base = mainHead();
    stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/hotel', actor: 'bob', message: 'hotel', files: { 'hotel.txt': 'hotel\n' } });
    const id = stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'hotel', sourceBranch: 'feature/hotel' }).id;
    const fulfilledFor = () => stack.sent.filter((d) => d.headers['x-event-key'] === 'pullrequest:fulfilled' && (JSON.parse(d.body) as { data: { pullrequest: { id: number } } }).data.pullrequest.id === id);
    const landings = () => stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === web().uuid && p.source.branch.startsWith('bosun-queue/main/') && p.destination.branch === 'main');
    const landingsBefore = landings().length;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun queue');
    // Frozen while its batch is tested: CI finishes, nothing lands, and the storm meets a passed batch.
    await waitFor(async () => (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.batches.some((b) => b.state === 'testing'), 'the batch testing', 15_000, 20);
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    const tested = await waitFor(() => ci.tested.find((t) => t.commit !== base && t.passed), 'queue CI green', 15_000, 20);
    const green = await waitFor(() => stack.sent.find((d) => d.headers['x-event-key']?.startsWith('repo:commit_status') && d.body.includes(tested.commit) && d.body.includes('SUCCESSFUL')), 'the green status webhook', 15_000, 20);
    const storm = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => fetch(green.url, {
      method: 'POST',
      // Half redeliveries (same X-Request-UUID), half new deliveries of the same status.
      headers: i % 2 === 0 ? green.headers : { ...green.headers, 'x-request-uuid': `${green.headers['x-request-uuid'] ?? 'storm'}-${i}` },
      body: green.body,
    }).then((r) => r.status)));
    const first = await storm(20);
    expect(first.every((status) => status < 300)).toBe(true);
    expect(pr(id).state).toBe('OPEN');
    // Thawed with the second wave in flight: one landing.
    const [, second] = await Promise.all([views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test'), storm(20)]);
    expect(second.every((status) => status < 300)).toBe(true);
    await waitFor(() => pr(id).state === 'MERGED', 'the landing', 15_000, 20);
    await storm(10);
    await waitFor(async () => (await stack.bosun.services.automation.queue.list(stack.installation.clientKey, { limit: 1000 }))
      .filter((j) => j.type === 'merge-queue.status' || j.type === 'merge-queue.event')
      .every((j) => j.state === 'succeeded' || (j.state === 'queued' && new Date(j.runAt).getTime() > Date.now())), 'the storm handled', 20_000, 50);
    expect(landings().length - landingsBefore).toBe(1);
    expect(landings().at(-1)!.state).toBe('MERGED');
    expect(fulfilledFor()).toHaveLength(1);
    expect(mainHead()).toBe(tested.commit);
    const queue = (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!;
    expect(queue.entries).toEqual([]);
  });
});
