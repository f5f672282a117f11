import { afterEach, describe, expect, it } from 'vitest';
import { applyWebhookEvent, createRepositoryFactsSync, FACTS_MAX_AGE_MS, isBranchMatch, toRepositoryFactsSummary } from '../../../server/mirror';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { ALL_SCOPES } from '../../sandbox/helpers/setup';
import { type MirrorHarness, purgeTenant, startMirrorHarness } from './mirror-harness';

const webhooksOf = (m: MirrorHarness, event: string) =>
  m.h.app.received.filter((r) => r.path === '/webhook' && r.body.event === event).map((r) => ({ event, data: r.body.data }));

/** Issue 10, item 1: branch heads, recent pipelines, default reviewers and branch restrictions in the mirror. */
describe.each(testDatabaseKinds())('repository facts in the mirror (%s)', (kind) => {
  let m: MirrorHarness;
  afterEach(async () => m?.close());

  const repo = (slug: string) => m.h.sandbox.state.repositories.find((r) => r.slug === slug)!;
  const bitbucketBranches = async (slug: string) =>
    ((await m.h.api('GET', `/2.0/repositories/acme/${slug}/refs/branches?pagelen=100`)).json as { values: Array<{ name: string; target: { hash: string } }> }).values
      .map((b) => ({ name: b.name, hash: b.target.hash }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const mirroredBranches = async (slug: string) =>
    (await m.store.listBranches(m.clientKey, repo(slug).uuid)).map((b) => ({ name: b.name, hash: b.targetHash }));

  it('a facts sync mirrors what Bitbucket lists: branch heads, default reviewers, restrictions, recent pipelines; the dashboard summary reads them', async () => {
    m = await startMirrorHarness(kind, { descriptor: { scopes: ALL_SCOPES } });
    await m.sync.initialSync(m.clientKey, m.source());
    const web = repo('web');
    const dave = m.h.sandbox.state.users.find((u) => u.nickname === 'dave')!;
    m.h.sandbox.state.defaultReviewers.push({ repoUuid: web.uuid, userUuid: dave.uuid });
    m.h.sandbox.state.branchRestrictions.push(
      { repoUuid: web.uuid, id: 901, kind: 'require_approvals_to_merge', branchMatchKind: 'glob', pattern: 'main', branchType: null, value: 2, userUuids: [], groupSlugs: [] },
      { repoUuid: web.uuid, id: 902, kind: 'require_passing_builds_to_merge', branchMatchKind: 'glob', pattern: 'release/*', branchType: null, value: 1, userUuids: [], groupSlugs: [] },
    );
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    m.h.sandbox.requests.reset();
    await facts.syncFacts(m.clientKey, m.source(), web.uuid);
    // Branches, reviewers, restrictions, pipelines, webhooks, Pipelines configuration.
    expect(m.h.sandbox.requests.get(`app:${m.clientKey}`).total).toBe(6);

    expect(await mirroredBranches('web')).toEqual(await bitbucketBranches('web'));
    const known = await facts.loadFacts(m.clientKey, web.uuid);
    expect(known.defaultReviewers?.map((r) => r.uuid)).toEqual([dave.uuid]);
    expect(known.branchRestrictions?.map((r) => r.id).sort()).toEqual([901, 902]);
    const pipelines = (await m.h.api('GET', `/2.0/repositories/acme/web/pipelines?sort=-created_on&pagelen=10`)).json as { values: Array<{ uuid: string }> };
    expect(known.recentPipelines?.map((p) => p.uuid)).toEqual(pipelines.values.map((p) => p.uuid));
    expect(known.syncedAt?.getTime()).toBe(m.clock.now.getTime());

    const summary = toRepositoryFactsSummary(known, ['main', 'main', 'release/1.0']);
    expect(summary.defaultReviewers).toEqual([dave.displayName]);
    const main = (await bitbucketBranches('web')).find((b) => b.name === 'main')!;
    expect(summary.targetBranches).toEqual([
      { name: 'main', head: main.hash.slice(0, 12), restrictions: ['require_approvals_to_merge (2)'] },
      { name: 'release/1.0', head: null, restrictions: ['require_passing_builds_to_merge (1)'] },
    ]);
  });

  it('an installation without repository:admin mirrors the rest and marks reviewers and restrictions unavailable, without asking again each sweep', async () => {
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    await facts.syncFacts(m.clientKey, m.source(), repo('web').uuid);
    const known = await facts.loadFacts(m.clientKey, repo('web').uuid);
    expect(known.defaultReviewers).toBeNull();
    expect(known.branchRestrictions).toBeNull();
    expect(known.recentPipelines).toBeNull();
    expect(await mirroredBranches('web')).toEqual(await bitbucketBranches('web'));
    expect(known.syncedAt).not.toBeNull();
    expect(toRepositoryFactsSummary(known, ['main']).targetBranches[0]?.restrictions).toBeNull();
    expect(await m.store.listRepositoriesWithStaleFacts(m.clientKey, new Date(m.clock.now.getTime() - FACTS_MAX_AGE_MS), 10)).not.toContain(repo('web').uuid);
  });

  it('repo:push webhooks keep branch heads: new heads, a deleted branch gone, an older push never overwrites a newer head', async () => {
    m = await startMirrorHarness(kind, { descriptor: { scopes: ALL_SCOPES, modules: { webhooks: [{ event: 'repo:push', url: '/webhook' }] } } });
    await m.sync.initialSync(m.clientKey, m.source());
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    await facts.syncFacts(m.clientKey, m.source(), repo('web').uuid);
    const main = (await bitbucketBranches('web')).find((b) => b.name === 'main')!;
    m.h.sandbox.actions.createBranch({ workspace: 'acme', repo: 'web', actor: 'carol', name: 'feature/facts', target: main.hash });
    m.h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/facts', actor: 'carol', message: 'one', files: { 'a.txt': '1' } });
    m.h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/facts', actor: 'carol', message: 'two', files: { 'a.txt': '2' } });
    await m.h.sandbox.idle();
    const pushes = webhooksOf(m, 'repo:push');
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    for (const e of pushes) await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: e.event, data: e.data, at: new Date() });
    expect(await mirroredBranches('web')).toEqual(await bitbucketBranches('web'));
    // The first push again, late: the head stays the newer commit.
    const before = await mirroredBranches('web');
    await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: pushes[0]!.event, data: pushes[0]!.data, at: new Date() });
    expect(await mirroredBranches('web')).toEqual(before);

    m.h.sandbox.actions.deleteBranch({ workspace: 'acme', repo: 'web', actor: 'carol', name: 'feature/facts' });
    await m.h.sandbox.idle();
    const deletion = webhooksOf(m, 'repo:push').at(-1)!;
    expect(await applyWebhookEvent(m.store, { clientKey: m.clientKey, event: deletion.event, data: deletion.data, at: new Date() })).toBe('branches');
    expect((await mirroredBranches('web')).map((b) => b.name)).not.toContain('feature/facts');
    expect(await mirroredBranches('web')).toEqual(await bitbucketBranches('web'));
  });

  it('the sweep\'s share refreshes the stalest repositories first, again after 6 hours; uninstall purges every fact', async () => {
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    const total = m.h.sandbox.state.repositories.length;
    // A repository with webhook activity gets its facts first.
    const busy = m.h.sandbox.state.repositories.map((r) => r.uuid).sort().at(-1)!;
    await m.store.markEvent(m.clientKey, busy, m.clock.now);
    expect(await m.store.listRepositoriesWithStaleFacts(m.clientKey, m.clock.now, 1)).toEqual([busy]);
    expect(await facts.refreshStaleFacts(m.clientKey, m.source(), 2)).toBe(2);
    expect(await facts.refreshStaleFacts(m.clientKey, m.source(), 2)).toBe(total - 2);
    expect(await facts.refreshStaleFacts(m.clientKey, m.source(), 2)).toBe(0);
    m.clock.now = new Date(m.clock.now.getTime() + FACTS_MAX_AGE_MS + 1);
    expect(await facts.refreshStaleFacts(m.clientKey, m.source(), 10)).toBe(total);

    const { MirrorBranch, MirrorRepositoryFact } = m.db.models;
    expect(await MirrorBranch.count({ where: { clientKey: m.clientKey } })).toBeGreaterThan(0);
    await purgeTenant(m.db, m.clientKey);
    expect(await MirrorBranch.count({ where: { clientKey: m.clientKey } })).toBe(0);
    expect(await MirrorRepositoryFact.count({ where: { clientKey: m.clientKey } })).toBe(0);
  });

});

describe('branch restriction patterns', () => {
  it('branch globs: `*` spans any characters, the rest is literal', () => {
    expect(isBranchMatch('main', 'main')).toBe(true);
    expect(isBranchMatch('main', 'main2')).toBe(false);
    expect(isBranchMatch('release/*', 'release/1.0')).toBe(true);
    expect(isBranchMatch('release/*', 'hotfix/1.0')).toBe(false);
    expect(isBranchMatch('*', 'feature/a/b')).toBe(true);
    expect(isBranchMatch('v1.0', 'v1x0')).toBe(false);
  });
});
