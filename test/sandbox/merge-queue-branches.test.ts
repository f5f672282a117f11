import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SCOPES, type Harness, startHarness } from './helpers/setup';

const WEB = '/2.0/repositories/acme/web';

/** The REST sequence docs/merge-queue.md relies on, against the sandbox: build, test, land, marked merged. */
describe('sandbox: a merge-queue batch through Bitbucket REST', () => {
  let h: Harness;
  afterEach(async () => h?.close());
  const branch = (name: string) => h.sandbox.state.branches.find((b) => b.name === name && b.repoUuid === h.sandbox.state.repositories[0]!.uuid);
  const tree = (name: string) => h.sandbox.state.commits.find((c) => c.hash === branch(name)!.target)!.tree;
  const pr = (id: number) => h.sandbox.state.pullRequests.find((p) => p.id === id)!;
  const openPr = (source: string, file: string) => {
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: source, actor: 'bob', message: source, files: { [file]: `${source}\n` } });
    return h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: source, sourceBranch: source }).id;
  };
  const createPr = async (source: string, destination: string) => {
    const res = await h.api('POST', `${WEB}/pullrequests`, { title: `queue ${source}`, source: { branch: { name: source } }, destination: { branch: { name: destination } }, close_source_branch: false });
    expect(res.status).toBe(201);
    return res.json.id as number;
  };
  const merge = (id: number, strategy: string) => h.api('POST', `${WEB}/pullrequests/${id}/merge`, { type: 'pullrequest_merge_parameters', merge_strategy: strategy, close_source_branch: false });

  it('composes the temporary branch at main with the PRs in order, lands it by fast-forward, and the queued PRs read MERGED', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    const a = openPr('feature/a', 'a.txt');
    const b = openPr('feature/b', 'b.txt');
    const later = openPr('feature/c', 'c.txt');
    const mainHead = branch('main')!.target;
    const temp = 'bosun-queue/main/b1';
    expect((await h.api('POST', `${WEB}/refs/branches`, { name: temp, target: { hash: mainHead } })).status).toBe(201);
    for (const source of ['feature/a', 'feature/b']) {
      const helper = await createPr(source, temp);
      expect((await merge(helper, 'merge_commit')).json.state).toBe('MERGED');
    }
    // Merging into the temporary branch closes nothing that targets main, and keeps the sources.
    expect([pr(a).state, pr(b).state]).toEqual(['OPEN', 'OPEN']);
    expect(branch('feature/a')).toBeDefined();
    const tested = branch(temp)!.target;
    expect(tree(temp)).toMatchObject({ 'a.txt': 'feature/a\n', 'b.txt': 'feature/b\n' });

    const landing = await createPr(temp, 'main');
    expect((await merge(landing, 'fast_forward')).status).toBe(200);
    // The target's head is exactly the commit CI saw; the PRs made only of its commits are merged.
    expect(branch('main')!.target).toBe(tested);
    expect([pr(a).state, pr(b).state, pr(later).state]).toEqual(['MERGED', 'MERGED', 'OPEN']);
    expect((await h.api('GET', `${WEB}/pullrequests/${a}`)).json.state).toBe('MERGED');
    // Merging a PR that already landed is refused, so a repeated landing cannot merge twice.
    expect((await merge(a, 'merge_commit')).status).toBeGreaterThanOrEqual(400);
  });

  it('a landing onto a target that moved is refused (never an untested head)', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    openPr('feature/a', 'a.txt');
    const temp = 'bosun-queue/main/b1';
    await h.api('POST', `${WEB}/refs/branches`, { name: temp, target: { hash: branch('main')!.target } });
    expect((await merge(await createPr('feature/a', temp), 'merge_commit')).status).toBe(200);
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'alice', message: 'someone else' });
    const before = branch('main')!.target;
    const refused = await merge(await createPr(temp, 'main'), 'fast_forward');
    expect(refused.status).toBe(400);
    expect(branch('main')!.target).toBe(before);
  });
});
