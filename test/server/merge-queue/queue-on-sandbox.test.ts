import { afterEach, describe, expect, it } from 'vitest';
import { createBitbucketQueueRepository } from '../../../server/agent/create-bitbucket-queue-repository';
import { createBitbucketClient, type BitbucketClient } from '../../../server/bitbucket';
import {
  createMemoryMergeQueueStore, createMergeQueueDriver, toQueueBranchName,
  type QueueEffect, type QueueEvent, type QueueLandingPolicy, type QueueRepository, type QueueSettings,
} from '../../../server/merge-queue';
import { createQueueCi } from '../../../sandbox/queue-ci';
import { ALL_SCOPES, type Harness, startHarness } from '../../sandbox/helpers/setup';

const key = { clientKey: 'tenant-sandbox', repository: 'acme/web', branch: 'main' };

/**
 * The queue against the sandbox through the real REST client: the runner builds temporary
 * branches and lands them as docs/merge-queue.md says; CI (sandbox/queue-ci) reads the tested
 * commit's files, posts its status on that commit, and reports it to the queue.
 */
describe('merge queue on the sandbox', () => {
  let h: Harness;
  let client: BitbucketClient;
  afterEach(async () => h?.close());

  const start = async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES }, sandbox: { rateLimitPerHour: 0, asyncMergeMs: 5 } });
    // The sandbox names itself http://sandbox.test in Location headers: the client talks to that
    // name and the injected fetch takes it to the listening port.
    client = createBitbucketClient({
      baseApiUrl: 'http://sandbox.test',
      fetch: (input, init) => globalThis.fetch(String(input instanceof Request ? input.url : input).replace('http://sandbox.test', h.url), init),
      auth: { kind: 'connect-jwt', appKey: h.inst.key, clientKey: h.inst.clientKey, sharedSecret: h.inst.sharedSecret },
      retry: { maxRetries: 0 },
    });
  };
  const repoUuid = () => h.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid;
  const branch = (name: string) => h.sandbox.state.branches.find((b) => b.name === name && b.repoUuid === repoUuid());
  const treeOf = (hash: string) => h.sandbox.state.commits.find((c) => c.hash.startsWith(hash))!.tree;
  const prState = (id: number) => h.sandbox.state.pullRequests.find((p) => p.id === id && p.repoUuid === repoUuid())!.state;
  const openPr = (name: string) => {
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: `feature/${name}`, actor: 'bob', message: name, files: { [`${name}.txt`]: `${name}\n` } });
    const pr = h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: name, sourceBranch: `feature/${name}` });
    return { id: pr.id, sourceCommit: pr.source.hash };
  };

  /**
   * Hands events to the production driver and plays CI: each batch it built gets a status on its
   * tested commit from sandbox/queue-ci, delivered back as a ci-result event.
   */
  const runQueue = async (
    first: QueueEvent[], settings: Partial<QueueSettings>, conflicting: Array<[string, string]> = [], store = createMemoryMergeQueueStore(),
    wrap: (r: QueueRepository) => QueueRepository = (r) => r, landing?: QueueLandingPolicy,
  ) => {
    const driver = createMergeQueueDriver({
      store, now: () => new Date(), defaults: () => settings, sleep: async () => {},
      ...(landing ? { landingPolicy: async () => landing } : {}),
      repositoryFor: async () => wrap(createBitbucketQueueRepository(client, 'acme', 'web')),
    });
    const ci = createQueueCi({ durationMs: 0, conflicting, after: (_ms, fn) => fn() });
    const inbox = [...first];
    const effects: QueueEffect[] = [];
    const tested = new Map<string, boolean>();
    for (let guard = 0; inbox.length > 0; guard++) {
      if (guard > 200) throw new Error('queue did not settle');
      const handled = await driver.handle(key, inbox.shift()!);
      effects.push(...handled.effects);
      for (const built of handled.events) {
        if (built.type !== 'batch-built') continue;
        const files = Object.keys(treeOf(built.commit)).map((f) => f.replace(/\.txt$/, ''));
        const result = ci.decide(built.commit, files);
        await client.statuses.createBuild('acme', 'web', built.commit, { key: 'queue-ci', state: result.passed ? 'SUCCESSFUL' : 'FAILED', url: 'https://ci.example/queue', name: 'Queue CI' });
        tested.set(built.commit, result.passed);
        inbox.push({ type: 'ci-result', batchId: built.batchId, commit: built.commit, passed: result.passed, reason: result.reason ?? undefined });
      }
    }
    return { effects, tested, driver, state: (await store.load(key))! };
  };

  it('three PRs queued to main land in order through one tested batch: main is the tested commit, Bitbucket marks them merged', async () => {
    await start();
    const prs = ['alpha', 'bravo', 'charlie'].map(openPr);
    const { effects, tested, state } = await runQueue([
      ...prs.map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 3, depth: 1, paused: true });
    const lands = effects.filter((e) => e.type === 'land-batch');
    expect(lands).toHaveLength(1);
    expect(lands[0]).toMatchObject({ prIds: prs.map((p) => p.id) });
    expect(tested.get(lands[0]!.type === 'land-batch' ? lands[0]!.commit : '')).toBe(true);
    expect(branch('main')!.target.startsWith(lands[0]!.type === 'land-batch' ? lands[0]!.commit : 'x')).toBe(true);
    expect(treeOf(branch('main')!.target)).toMatchObject({ 'alpha.txt': 'alpha\n', 'bravo.txt': 'bravo\n', 'charlie.txt': 'charlie\n' });
    expect(prs.map((p) => prState(p.id))).toEqual(['MERGED', 'MERGED', 'MERGED']);
    expect(state.stats.recentMerges.map((m) => m.prId)).toEqual(prs.map((p) => p.id));
    // The helper merges went in queue order: the tested commit's first-parent chain, newest first.
    const messages: string[] = [];
    for (let c = h.sandbox.state.commits.find((x) => x.hash === branch('main')!.target); c && c.parents.length === 2; c = h.sandbox.state.commits.find((x) => x.hash === c!.parents[0])) messages.push(c.message);
    expect(messages.slice(0, 3).map((m) => m.match(/feature\/(\w+)/)?.[1])).toEqual(['charlie', 'bravo', 'alpha']);
    // Only the batch's head starts CI: the merges before it carry [skip ci], the last (the tested commit) does not.
    expect(messages.slice(0, 3).map((m) => m.includes('[skip ci]'))).toEqual([false, true, true]);
    expect(messages[2]!.trim()).toBe(`Merged in feature/alpha (pull request #${prs[0]!.id}) for the main merge queue, batch b1 [skip ci]`);
    expect(branch(toQueueBranchName('main', 'b1'))).toBeUndefined();
  });

  it('a landed PR that asked to close its source branch has it deleted; one that did not keeps it', async () => {
    await start();
    const [closing, keeping] = ['alpha', 'bravo'].map(openPr);
    h.sandbox.actions.updatePullRequest({ workspace: 'acme', repo: 'web', id: closing!.id }, 'bob', { closeSourceBranch: true });
    const { state } = await runQueue([
      ...[closing!, keeping!].map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 2, depth: 1, paused: true });
    expect(state.stats.merged).toBe(2);
    expect([prState(closing!.id), prState(keeping!.id)]).toEqual(['MERGED', 'MERGED']);
    expect(branch('feature/alpha')).toBeUndefined();
    expect(branch('feature/bravo')).toBeDefined();
  });

  it('the policy\'s closeSourceBranch decides over each PR: true deletes every landed branch, false keeps even one that asked', async () => {
    await start();
    const [asked, silent] = ['alpha', 'bravo'].map(openPr);
    h.sandbox.actions.updatePullRequest({ workspace: 'acme', repo: 'web', id: asked!.id }, 'bob', { closeSourceBranch: true });
    const closing = await runQueue([
      ...[asked!, silent!].map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 2, depth: 1, paused: true }, [], createMemoryMergeQueueStore(), (r) => r, { strategy: 'merge_commit', closeSourceBranch: false });
    expect(closing.state.stats.merged).toBe(2);
    expect(branch('feature/alpha')).toBeDefined();
    expect(branch('feature/bravo')).toBeDefined();
    const [charlie, delta] = ['charlie', 'delta'].map(openPr);
    await runQueue([
      ...[charlie!, delta!].map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 2, depth: 1, paused: true }, [], createMemoryMergeQueueStore(), (r) => r, { strategy: 'merge_commit', closeSourceBranch: true });
    expect([prState(charlie!.id), prState(delta!.id)]).toEqual(['MERGED', 'MERGED']);
    expect(branch('feature/charlie')).toBeUndefined();
    expect(branch('feature/delta')).toBeUndefined();
  });

  it('the policy\'s fast_forward strategy: main gets the PR\'s own commit, no merge commit', async () => {
    await start();
    const pr = openPr('alpha');
    const { state } = await runQueue([{ type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit }], {}, [], createMemoryMergeQueueStore(), (r) => r, { strategy: 'fast_forward' });
    expect(state.stats.merged).toBe(1);
    expect(branch('main')!.target.startsWith(pr.sourceCommit) || pr.sourceCommit.startsWith(branch('main')!.target)).toBe(true);
  });

  it("fast_forward refused because the PR is not a fast-forward: ejected with the policy's setting named and what it means", async () => {
    await start();
    // main moves after alpha branched off: alpha is no longer a fast-forward of main's head.
    const alpha = openPr('alpha');
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'bob', message: 'hotfix', files: { 'hotfix.txt': 'hotfix\n' } });
    const moved = await runQueue([{ type: 'enqueue', prId: alpha.id, by: 'ada', sourceCommit: alpha.sourceCommit }], {}, [], createMemoryMergeQueueStore(), (r) => r, { strategy: 'fast_forward' });
    const ejected = moved.state.entries.find((e) => e.prId === alpha.id)!;
    expect(ejected.state).toBe('ejected');
    expect(ejected.reason).toContain("The policy's mergeQueue.strategy is fast_forward");
    expect(ejected.reason).toContain('no merge commit');
    expect(ejected.reason).toContain('feature/alpha is not based on the head of main (main moved since it branched off), so it is not a fast-forward: rebase it and queue it again');
    expect(prState(alpha.id)).toBe('OPEN');
    // Two PRs off the same head in one batch: the second lacks the first's commit.
    const [bravo, charlie] = ['bravo', 'charlie'].map(openPr);
    const batch = await runQueue([
      ...[bravo!, charlie!].map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 2, depth: 1, paused: true }, [], createMemoryMergeQueueStore(), (r) => r, { strategy: 'fast_forward' });
    expect(prState(bravo!.id)).toBe('MERGED');
    const second = batch.state.entries.find((e) => e.prId === charlie!.id)!;
    expect(second.state).toBe('ejected');
    expect(second.reason).toContain("The policy's mergeQueue.strategy is fast_forward");
    expect(second.reason).toContain('feature/charlie lacks commits of the PRs ahead of it in the main queue, so it is not a fast-forward: rebase it');
  });

  it('a semantic conflict is caught before main: its culprit is ejected with the reason, the rest land', async () => {
    await start();
    const prs = ['alpha', 'bravo', 'charlie'].map(openPr);
    const { state } = await runQueue([
      ...prs.map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 3, depth: 1, paused: true }, [['alpha', 'charlie']]);
    const tree = treeOf(branch('main')!.target);
    expect(tree['alpha.txt']).toBe('alpha\n');
    expect(tree['bravo.txt']).toBe('bravo\n');
    expect(tree['charlie.txt']).toBeUndefined();
    expect(prs.map((p) => prState(p.id))).toEqual(['MERGED', 'MERGED', 'OPEN']);
    const culprit = state.entries.find((e) => e.prId === prs[2]!.id)!;
    expect(culprit.state).toBe('ejected');
    expect(culprit.reason).toMatch(/tests fail with alpha and charlie together/);
  });

  it('a frozen branch holds its queue: nothing is built or merged until it thaws', async () => {
    await start();
    const pr = openPr('alpha');
    const before = branch('main')!.target;
    const store = createMemoryMergeQueueStore();
    const frozen = await runQueue([{ type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit }], { frozen: true }, [], store);
    expect(frozen.effects.filter((e) => e.type === 'build-batch')).toEqual([]);
    expect(branch('main')!.target).toBe(before);
    expect(prState(pr.id)).toBe('OPEN');
    expect(h.sandbox.state.branches.some((b) => b.name.startsWith('bosun-queue/'))).toBe(false);
    const thawed = await runQueue([{ type: 'configure', settings: { frozen: false } }], {}, [], store);
    expect(thawed.effects.filter((e) => e.type === 'land-batch')).toHaveLength(1);
    expect(prState(pr.id)).toBe('MERGED');
    expect(treeOf(branch('main')!.target)['alpha.txt']).toBe('alpha\n');
  });

  it('a storm of redelivered green statuses for one batch merges once', async () => {
    await start();
    const pr = openPr('alpha');
    const store = createMemoryMergeQueueStore();
    const { driver } = await runQueue([], {}, [], store);
    const built = await driver.handle(key, { type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit });
    const b = built.events.find((e) => e.type === 'batch-built')!;
    if (b.type !== 'batch-built') throw new Error('no batch built');
    const green = { type: 'ci-result', batchId: b.batchId, commit: b.commit, passed: true } as const;
    const results = await Promise.all(Array.from({ length: 10 }, () => driver.handle(key, green)));
    expect(results.flatMap((r) => r.effects).filter((e) => e.type === 'land-batch')).toHaveLength(1);
    expect(prState(pr.id)).toBe('MERGED');
    expect((await store.load(key))!.stats.merged).toBe(1);
    expect(branch('main')!.target.startsWith(b.commit)).toBe(true);
  });

  /** A repository whose helper merge (merge_commit into the batch branch) is made, then the worker dies when `kill` says so. */
  const killedAfterHelperMerge = (kill: (message: string | undefined) => boolean) => (r: QueueRepository): QueueRepository => ({
    ...r,
    async mergePullRequest(id, strategy, message) {
      const merged = await r.mergePullRequest(id, strategy, message);
      if (strategy === 'merge_commit' && kill(message)) throw new Error('worker killed');
      return merged;
    },
  });

  it('a worker killed after building a batch: the one taking over reuses its branch and head, so CI runs once', async () => {
    await start();
    const prs = ['alpha', 'bravo'].map(openPr);
    const store = createMemoryMergeQueueStore();
    let crash = true;
    // Killed right after the batch's last helper merge (the push that starts CI), before it said so.
    const crashing = killedAfterHelperMerge((message) => {
      if (!crash || message?.includes('[skip ci]')) return false;
      crash = false;
      return true;
    });
    await expect(runQueue([
      ...prs.map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 2, paused: true }, [], store, crashing)).rejects.toThrow('worker killed');
    const builtHead = branch(toQueueBranchName('main', 'b1'))!.target;
    const { driver } = await runQueue([], {}, [], store);
    const resumed = await driver.handle(key, { type: 'tick' }, { resume: true });
    const built = resumed.events.find((e) => e.type === 'batch-built');
    expect(built).toEqual({ type: 'batch-built', batchId: 'b1', commit: builtHead });
    // One push without [skip ci] for the batch: one CI run.
    const ciStarts = h.sandbox.state.commits.filter((c) => c.message.includes('merge queue, batch b1') && !c.message.includes('[skip ci]'));
    expect(ciStarts).toHaveLength(1);
    const { state } = await runQueue([{ type: 'ci-result', batchId: 'b1', commit: builtHead, passed: true }], {}, [], store);
    expect(state.stats.merged).toBe(2);
    expect(prs.map((p) => prState(p.id))).toEqual(['MERGED', 'MERGED']);
  });

  it('a worker killed halfway through a build: the next one merges only the rest onto the same branch', async () => {
    await start();
    const prs = ['alpha', 'bravo', 'charlie'].map(openPr);
    const store = createMemoryMergeQueueStore();
    let merges = 0;
    const crashing = killedAfterHelperMerge(() => ++merges === 1);
    await expect(runQueue([
      ...prs.map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 3, paused: true }, [], store, crashing)).rejects.toThrow('worker killed');
    const { driver } = await runQueue([], {}, [], store);
    const resumed = await driver.handle(key, { type: 'tick' }, { resume: true });
    expect(resumed.events.some((e) => e.type === 'batch-built')).toBe(true);
    const forB1 = h.sandbox.state.commits.filter((c) => c.message.includes('merge queue, batch b1'));
    expect(forB1.map((c) => c.message.match(/feature\/(\w+)/)?.[1])).toEqual(['alpha', 'bravo', 'charlie']);
    expect(forB1.filter((c) => !c.message.includes('[skip ci]'))).toHaveLength(1);
  });

  it('a worker killed while landing: the next run resumes the same decision and lands once', async () => {
    await start();
    const prs = ['alpha', 'bravo'].map(openPr);
    const store = createMemoryMergeQueueStore();
    let crash = true;
    const crashing = (r: QueueRepository): QueueRepository => ({
      ...r,
      async mergePullRequest(id, strategy) {
        if (strategy === 'fast_forward' && crash) { crash = false; throw new Error('worker killed'); }
        return r.mergePullRequest(id, strategy);
      },
    });
    await expect(runQueue([
      ...prs.map((p) => ({ type: 'enqueue', prId: p.id, by: 'ada', sourceCommit: p.sourceCommit }) as const),
      { type: 'configure', settings: { paused: false } },
    ], { batchSize: 2, paused: true }, [], store, crashing)).rejects.toThrow('worker killed');
    expect(prs.map((p) => prState(p.id))).toEqual(['OPEN', 'OPEN']);
    expect((await store.load(key))!.batches.map((b) => b.state)).toEqual(['landing']);
    const { driver } = await runQueue([], {}, [], store);
    const resumed = await driver.handle(key, { type: 'tick' }, { resume: true });
    expect(resumed.effects.filter((e) => e.type === 'land-batch')).toEqual([expect.objectContaining({ decisionId: 'b1:land', prIds: prs.map((p) => p.id) })]);
    expect(prs.map((p) => prState(p.id))).toEqual(['MERGED', 'MERGED']);
    const again = await driver.handle(key, { type: 'tick' }, { resume: true });
    expect(again.effects.filter((e) => e.type === 'land-batch')).toEqual([]);
    expect((await store.load(key))!.stats.merged).toBe(2);
  });
});
