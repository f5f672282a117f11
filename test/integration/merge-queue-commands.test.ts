import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachQueueCi, type AttachedQueueCi } from '../../sandbox/queue-ci';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

/**
 * `/bosun queue` and `/bosun dequeue` end to end: a signed comment webhook from the sandbox, the
 * comment job, the executor, the queue's jobs (build the temporary branch, watch CI on it, land
 * by fast-forward), Bitbucket marking the queued PRs merged, and one sticky comment per PR.
 */
/**
 * Each test is a chain of a dozen or more jobs (comment, build, CI, status, landing, notices), each
 * 0.3-2.3 s when the machine is loaded (load average 13 on 2 cores, measured), so vitest's 20 s
 * default cut tests off mid-wait with no cause named; the waits below budget 30 s and name what
 * they waited for.
 */
const QUEUE_E2E_TIMEOUT_MS = 60_000;

describe.each(testDatabaseKinds())('merge queue through PR comments (%s)', (kind) => {
  let stack: RunningStack;
  let ci: AttachedQueueCi;
  beforeAll(async () => {
    stack = await startStack({ database: kind, webhookRetryDelaysMs: [50, 100], mergeQueueCiPollMs: 100, sandbox: { asyncMergeMs: 20, rateLimitPerHour: 0 } });
    ci = attachQueueCi(stack.sandbox, { workspace: 'acme', repo: 'web', durationMs: 200, failing: ['delta'], conflicting: [['sierra', 'tango']] });
  });
  afterAll(async () => {
    ci?.stop();
    await stack?.close();
  });

  const repo = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const pr = (id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repo().uuid && p.id === id)!;
  const stickies = (id: number) => stack.sandbox.state.comments.filter((c) => c.repoUuid === repo().uuid && c.prId === id && !c.deleted && c.raw.includes('<!-- bosun:sticky:bosun -->'));
  const sticky = (id: number) => stickies(id)[0]?.raw ?? '';
  const mainHead = () => stack.sandbox.state.branches.find((b) => b.repoUuid === repo().uuid && b.name === 'main')!.target;
  const openPr = (name: string) => {
    stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: `feature/${name}`, actor: 'bob', message: name, files: { [`${name}.txt`]: `${name}\n` } });
    return stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: name, sourceBranch: `feature/${name}` }).id;
  };
  const audit = async () => (await stack.bosun.services.automation.audit.list(stack.installation.clientKey, { limit: 200 })).entries;

  it('two PRs queued with /bosun queue land in order, main ends on the tested commit, one sticky comment each', async () => {
    const first = openPr('alpha');
    const second = openPr('bravo');
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: first }, 'bob', '/bosun queue');
    await waitFor(() => sticky(first).includes('queue'), 'the first reply');
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: second }, 'bob', '/bosun queue');
    await waitFor(() => pr(first).state === 'MERGED' && pr(second).state === 'MERGED', 'both PRs merged by the queue', 30_000);
    await waitFor(() => sticky(second).includes('Merged by the queue'), 'the merged notice');
    await stack.sandbox.idle();

    // In queue order: alpha landed before bravo, and main's head is a commit CI passed.
    const merges = stack.sent
      .filter((d) => d.headers['x-event-key'] === 'pullrequest:fulfilled')
      .map((d) => (JSON.parse(d.body) as { data: { pullrequest: { id: number } } }).data.pullrequest.id);
    expect(merges.indexOf(first)).toBeLessThan(merges.indexOf(second));
    const tree = stack.sandbox.state.commits.find((c) => c.hash === mainHead())!.tree;
    expect(Object.keys(tree)).toEqual(expect.arrayContaining(['alpha.txt', 'bravo.txt']));
    expect(ci.tested.some((t) => t.commit === mainHead() && t.passed)).toBe(true);
    expect(stickies(first)).toHaveLength(1);
    expect(stickies(second)).toHaveLength(1);
    expect(sticky(first)).toContain('Merged by the queue');
    const entries = await audit();
    expect(entries.filter((e) => e.tools.includes('mergeQueue.enqueue') && e.outcome === 'succeeded')).toHaveLength(2);
    // The queue's branches and helper PRs are gone.
    expect(stack.sandbox.state.branches.filter((b) => b.repoUuid === repo().uuid && b.name.startsWith('bosun-queue/'))).toEqual([]);
  }, QUEUE_E2E_TIMEOUT_MS);

  it('a PR that fails CI on top of main is ejected with the reason in its sticky comment; main never gets it', async () => {
    const bad = openPr('delta');
    const before = mainHead();
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: bad }, 'bob', '/bosun queue');
    await waitFor(() => sticky(bad).includes('Taken out of the queue'), 'the ejection notice', 30_000);
    expect(sticky(bad)).toContain('tests fail with delta');
    expect(pr(bad).state).toBe('OPEN');
    expect(mainHead()).toBe(before);
    expect(stickies(bad)).toHaveLength(1);
  }, QUEUE_E2E_TIMEOUT_MS);

  it('a semantic conflict (each passes alone, they fail together) is caught in a batch: the culprit is ejected with the reason in its sticky comment, the other lands, main never gets both', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const queued = async () => (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries.map((e) => e.prId);
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true, batchSize: 2 } }, 'test');
    try {
      const sierra = openPr('sierra');
      const tango = openPr('tango');
      // One after the other: two comments at once are two jobs, saved in whichever order they finish,
      // and the bisection tests the first in queue order alone (with tango first, sierra is the culprit).
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: sierra }, 'bob', '/bosun queue');
      await waitFor(() => sticky(sierra).includes('position 1'), 'sierra queued first');
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: tango }, 'bob', '/bosun queue');
      await waitFor(async () => (await queued()).length === 2, 'both queued');
      expect(await queued()).toEqual([sierra, tango]);
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
      await waitFor(() => sticky(tango).includes('Taken out of the queue'), 'the culprit ejected', 30_000);
      expect(sticky(tango)).toContain('tests fail with sierra and tango together');
      await waitFor(() => pr(sierra).state === 'MERGED', 'the other PR landed', 30_000);
      expect(pr(tango).state).toBe('OPEN');
      const tree = stack.sandbox.state.commits.find((c) => c.hash === mainHead())!.tree;
      expect(tree).toHaveProperty(['sierra.txt']);
      expect(tree).not.toHaveProperty(['tango.txt']);
      // The pair failed once together; main only ever got a commit CI passed.
      expect(ci.tested.some((t) => !t.passed && ['sierra.txt', 'tango.txt'].every((f) => f in stack.sandbox.state.commits.find((c) => c.hash === t.commit)!.tree))).toBe(true);
      expect(ci.tested.some((t) => t.commit === mainHead() && t.passed)).toBe(true);
    } finally {
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false, batchSize: 1 } }, 'test');
    }
  }, QUEUE_E2E_TIMEOUT_MS);

  it('with the policy\'s strategy fast_forward, main gets the PR\'s own commit (no merge commit), and a PR no longer based on main\'s head is ejected with "rebase it"', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const queued = async () => (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries.map((e) => e.prId);
    const policy = stack.bosun.services.deps.policyViews!;
    const before = await policy.loadWorkspacePolicy(tenant);
    const layer = (before.layer ?? {}) as Record<string, unknown>;
    const saved = await policy.saveWorkspacePolicy(tenant, { layer: { ...layer, mergeQueue: { ...(layer.mergeQueue as object | undefined), strategy: 'fast_forward' } }, expectedVersion: before.version, updatedBy: 'test' });
    expect(saved.saved).toBe(true);
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    try {
      // Both branch off main's head now; once romeo lands, quebec lacks romeo's commit.
      const romeo = openPr('romeo');
      const quebec = openPr('quebec');
      const romeoHead = pr(romeo).source.hash;
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: romeo }, 'bob', '/bosun queue');
      await waitFor(() => sticky(romeo).includes('position 1'), 'romeo queued first');
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: quebec }, 'bob', '/bosun queue');
      await waitFor(async () => (await queued()).length === 2, 'both queued');
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
      await waitFor(() => pr(romeo).state === 'MERGED', 'romeo landed', 30_000);
      // The tested commit is the PR's own head, and that is what main now points at.
      expect(mainHead()).toBe(romeoHead);
      expect(ci.tested.some((t) => t.commit === romeoHead && t.passed)).toBe(true);
      await waitFor(() => sticky(quebec).includes('Taken out of the queue'), 'quebec ejected', 30_000);
      expect(sticky(quebec)).toContain("The policy's mergeQueue.strategy is fast_forward");
      expect(sticky(quebec)).toContain('not a fast-forward');
      expect(sticky(quebec)).toContain('rebase it');
      expect(pr(quebec).state).toBe('OPEN');
      expect(mainHead()).toBe(romeoHead);
      expect(stickies(quebec)).toHaveLength(1);
      // `/bosun queue status` answers how the queue merges here: the policy's strategy, read for acme/web's main.
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: quebec }, 'bob', '/bosun queue status');
      await waitFor(() => sticky(quebec).includes('uses the fast_forward strategy'), 'queue status names the strategy', 30_000);
      expect(sticky(quebec)).toContain(`#${quebec} is not queued: it was ejected`);
      expect(sticky(quebec)).toContain("mergeQueue.strategy and mergeQueue.closeSourceBranch");
      expect(stickies(quebec)).toHaveLength(1);
    } finally {
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
      const now = await policy.loadWorkspacePolicy(tenant);
      await policy.saveWorkspacePolicy(tenant, { layer, expectedVersion: now.version, updatedBy: 'test' });
    }
  }, QUEUE_E2E_TIMEOUT_MS);

  it('with the policy "merge via queue" on main, /bosun merge when green queues the PR once it is green, and the queue lands it', async () => {
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const policy = stack.bosun.services.deps.policyViews!;
    const current = await policy.loadWorkspacePolicy(tenant);
    const saved = await policy.saveWorkspacePolicy(tenant, { layer: { ...(current.layer as Record<string, unknown>), mergeQueue: { branches: ['main'] } }, expectedVersion: current.version, updatedBy: 'test' });
    expect(saved.saved).toBe(true);
    const id = openPr('foxtrot');
    const head = pr(id).source.hash;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun merge when green');
    await waitFor(() => sticky(id).includes('once its builds pass'), 'merge when green armed');
    expect(pr(id).state).toBe('OPEN');
    stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: head, actor: 'alice', key: 'unit', state: 'SUCCESSFUL', name: 'unit', url: 'https://ci.example/unit' });
    await waitFor(() => pr(id).state === 'MERGED', 'the PR merged through the queue', 30_000);
    await waitFor(() => sticky(id).includes('Merged by the queue'), 'the queue\'s merged notice');
    const entries = await audit();
    // The rule's plan was the queue's enqueue, never a direct merge of this PR.
    expect(entries.some((e) => e.tools.includes('mergeQueue.enqueue') && e.outcome === 'succeeded' && e.trigger.kind === 'auto-merge')).toBe(true);
    expect(entries.filter((e) => e.tools.includes('pullRequest.merge') && JSON.stringify(e).includes(`"pullRequestId":${id}`))).toEqual([]);
    expect(ci.tested.some((t) => t.commit === mainHead() && t.passed)).toBe(true);
    expect(stickies(id)).toHaveLength(1);
    // The merge-when-green request ended as handed to the queue (not as merged by Bosun): nothing pending is left for the panel.
    const armed = await stack.bosun.services.db.models.AutoMerge.findAll({ where: { clientKey: stack.installation.clientKey, pullRequestId: id }, raw: true });
    expect(armed.map((a) => a.state)).toEqual(['queued']);
    await policy.saveWorkspacePolicy(tenant, { layer: current.layer, expectedVersion: saved.view.version, updatedBy: 'test' });
  }, QUEUE_E2E_TIMEOUT_MS);

  it('/bosun dequeue takes a PR out of a frozen queue; nobody without write access can queue', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    const held = openPr('echo');
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: held }, 'bob', '/bosun queue');
    await waitFor(() => sticky(held).includes('position 1'), 'queued while frozen');
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: held }, 'bob', '/bosun dequeue');
    await waitFor(() => sticky(held).includes(`Removed #${held} from the main queue`), 'the dequeue reply');
    const queue = (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!;
    expect(queue.entries.map((e) => e.prId)).not.toContain(held);
    expect(queue.freeze.frozen).toBe(true);

    const ws = stack.sandbox.state.workspaces.find((w) => w.slug === 'acme')!;
    const members = [...ws.members];
    ws.members.splice(ws.members.indexOf('dave'), 1);
    try {
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: held }, 'dave', '/bosun queue');
      await waitFor(() => sticky(held).includes('write access'), 'the refusal');
      expect((await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries).toEqual([]);
    } finally {
      ws.members.splice(0, ws.members.length, ...members);
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    }
    expect(stickies(held)).toHaveLength(1);
  }, QUEUE_E2E_TIMEOUT_MS);

  it('the hotfix lane: refused to a member the policy does not name, accepted once it names them, and ahead of the default lane', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const policy = stack.bosun.services.deps.policyViews!;
    const bob = stack.sandbox.state.users.find((u) => u.nickname === 'bob')!;
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    const current = await policy.loadWorkspacePolicy(tenant);
    try {
      const normal = openPr('juliet');
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: normal }, 'bob', '/bosun queue');
      await waitFor(() => sticky(normal).includes('position 1'), 'the normal PR queued');
      const urgent = openPr('kilo');
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: urgent }, 'bob', '/bosun queue hotfix');
      await waitFor(() => sticky(urgent).includes('Only a workspace admin may queue in the hotfix lane'), 'the refusal');
      const saved = await policy.saveWorkspacePolicy(tenant, { layer: { ...(current.layer as Record<string, unknown>), mergeQueue: { lanes: { hotfix: [bob.uuid] } } }, expectedVersion: current.version, updatedBy: 'test' });
      expect(saved.saved).toBe(true);
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: urgent }, 'bob', '/bosun queue hotfix');
      await waitFor(() => sticky(urgent).includes('Queued #'), 'queued in the hotfix lane');
      expect(sticky(urgent)).toContain('position 1 of 2');
      const order = (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries.map((e) => [e.prId, e.lane]);
      expect(order).toEqual([[urgent, 'hotfix'], [normal, 'default']]);
      for (const id of [urgent, normal]) stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun dequeue');
      await waitFor(async () => (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries.length === 0, 'both dequeued');
      await policy.saveWorkspacePolicy(tenant, { layer: current.layer as Record<string, unknown>, expectedVersion: saved.view.version, updatedBy: 'test' });
    } finally {
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    }
  }, QUEUE_E2E_TIMEOUT_MS);

  it('before landing, readiness is checked again with the full oracle: a PR marked draft after it was queued is ejected with the reason, main never gets it', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    const id = openPr('lima');
    const before = mainHead();
    const runsBefore = ci.tested.length;
    try {
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun queue');
      await waitFor(() => sticky(id).includes('position 1'), 'queued while frozen');
      stack.sandbox.actions.updatePullRequest({ workspace: 'acme', repo: 'web', id }, 'bob', { draft: true });
    } finally {
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    }
    await waitFor(() => sticky(id).includes('Taken out of the queue'), 'the ejection at landing', 30_000);
    expect(sticky(id)).toContain('readiness checked again');
    expect(sticky(id)).toContain('The pull request is a draft.');
    // Its batch passed CI (the combination was fine); the oracle held it back.
    expect(ci.tested.slice(runsBefore).some((t) => t.passed && t.branch.startsWith('bosun-queue/main/'))).toBe(true);
    expect(mainHead()).toBe(before);
    expect(pr(id).state).toBe('OPEN');
    expect(stickies(id)).toHaveLength(1);
    stack.sandbox.actions.updatePullRequest({ workspace: 'acme', repo: 'web', id }, 'bob', { draft: false });
  }, QUEUE_E2E_TIMEOUT_MS);

  it('a PR whose own build failed is not batched: refused at /bosun queue, and ejected when its build fails while it waits', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const runsBefore = ci.tested.length;
    const broken = openPr('mike');
    stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr(broken).source.hash, actor: 'alice', key: 'unit', state: 'FAILED', name: 'unit', url: 'https://ci.example/unit' });
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: broken }, 'bob', '/bosun queue');
    await waitFor(() => sticky(broken).includes('its own builds failed'), 'the refusal for the failed build');
    expect(sticky(broken)).toContain('unit failed');
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    try {
      const waiting = openPr('november');
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: waiting }, 'bob', '/bosun queue');
      await waitFor(() => sticky(waiting).includes('position 1'), 'queued while frozen');
      stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr(waiting).source.hash, actor: 'alice', key: 'lint', state: 'FAILED', name: 'lint', url: 'https://ci.example/lint' });
      await waitFor(() => sticky(waiting).includes('Taken out of the queue: Its own builds failed'), 'the ejection for the failed build', 30_000);
      expect(sticky(waiting)).toContain('lint failed');
      expect((await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries).toEqual([]);
    } finally {
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    }
    // Neither cost a queue CI run.
    expect(ci.tested.slice(runsBefore)).toEqual([]);
  }, QUEUE_E2E_TIMEOUT_MS);

  it('a queued PR that gets a new commit is ejected with the reason; a declined one leaves the queue', async () => {
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const queued = async () => (await views.listForAdmin(tenant)).queues.find((q) => q.branch === 'main')!.entries.map((e) => e.prId);
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    try {
      const pushed = openPr('hotel');
      const declined = openPr('india');
      for (const id of [pushed, declined]) stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, 'bob', '/bosun queue');
      await waitFor(async () => (await queued()).length === 2, 'both queued');
      stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/hotel', actor: 'bob', message: 'more', files: { 'hotel.txt': 'hotel 2\n' } });
      await waitFor(() => sticky(pushed).includes('Taken out of the queue: A new commit'), 'the ejection for the new commit');
      stack.sandbox.actions.decline({ workspace: 'acme', repo: 'web', id: declined }, 'bob');
      await waitFor(async () => (await queued()).length === 0, 'the declined PR out of the queue');
      await waitFor(() => sticky(declined).includes('The PR was declined'), 'the dequeue notice');
      expect(stickies(pushed)).toHaveLength(1);
    } finally {
      await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    }
  }, QUEUE_E2E_TIMEOUT_MS);
});
