import { afterEach, describe, expect, it } from 'vitest';
import { ensureRepositoryTemplate } from '../../../server/agent/tools/ensure-repository-template';
import { loadRepositorySettings } from '../../../server/agent/tools/load-repository-settings';
import { previewTemplateFromMirror } from '../../../server/agent/tools/repository-settings-mirror';
import { createBitbucketClient, type BitbucketClient } from '../../../server/bitbucket';
import { createRepositorySettingsMirror } from '../../../server/create-repository-settings-mirror';
import { createRepositoryFactsSync } from '../../../server/mirror';
import { loadMirroredRepositorySettings } from '../../../server/mirror/repository-settings-facts';
import { describeSettingChange, diffRepositorySettings } from '../../../server/policies/diff-repository-settings';
import { createMemoryRepositoryTemplateStore } from '../../../server/policies/memory-repository-template-store';
import { repositoryTemplateSchema } from '../../../server/policies/repository-template';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { ALL_SCOPES } from '../../sandbox/helpers/setup';
import { type MirrorHarness, startMirrorHarness } from './mirror-harness';

const template = repositoryTemplateSchema.parse({
  name: 'service',
  settings: {
    isPrivate: true,
    description: 'A service',
    branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }, { kind: 'push', pattern: 'main', users: ['{ca201000-0000-4000-8000-000000000003}'] }],
    defaultReviewers: ['{ca201000-0000-4000-8000-000000000003}'],
    webhooks: [{ description: 'CI', url: 'https://ci.example.com/h', events: ['repo:push'] }],
    pipelinesEnabled: true,
    mergeStrategies: { allowed: ['squash'], default: 'squash' },
  },
});

/** Issue 14: the repository settings a template compares, in the mirror; previews read only it. */
describe.each(testDatabaseKinds())('repository settings in the mirror (%s)', (kind) => {
  let m: MirrorHarness;
  afterEach(async () => m?.close());

  const repo = (slug: string) => m.h.sandbox.state.repositories.find((r) => r.slug === slug)!;
  const credential = () => `app:${m.clientKey}`;
  const clientOf = (): BitbucketClient =>
    createBitbucketClient({ baseApiUrl: m.h.url, auth: { kind: 'connect-jwt', appKey: m.h.inst.key, clientKey: m.clientKey, sharedSecret: m.h.inst.sharedSecret }, retry: { maxRetries: 0 } });

  it('a facts sync keeps what a template compares; the preview from the mirror equals the live one and costs no request', async () => {
    m = await startMirrorHarness(kind, { descriptor: { scopes: ALL_SCOPES } });
    await m.sync.initialSync(m.clientKey, m.source());
    const web = repo('web');
    const carol = m.h.sandbox.state.users.find((u) => u.nickname === 'carol')!;
    m.h.sandbox.state.branchRestrictions.push(
      { repoUuid: web.uuid, id: 951, kind: 'push', branchMatchKind: 'glob', pattern: 'main', branchType: null, value: null, userUuids: [carol.uuid], groupSlugs: [] },
      { repoUuid: web.uuid, id: 952, kind: 'require_approvals_to_merge', branchMatchKind: 'glob', pattern: 'main', branchType: null, value: 1, userUuids: [], groupSlugs: [] },
    );
    m.h.sandbox.state.repositoryWebhooks.push({ repoUuid: web.uuid, uuid: '{0b0b0b0b-0000-4000-8000-000000000001}', url: 'https://ci.example.com/h', description: 'CI', active: false, events: ['repo:push'], secret: null, createdAt: new Date().toISOString() });
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    await facts.syncFacts(m.clientKey, m.source(), web.uuid);

    const live = await loadRepositorySettings(clientOf(), 'acme', 'web');
    const mirrored = (await loadMirroredRepositorySettings(m.store, m.clientKey, ['acme/web'])).get('acme/web')!;
    expect(mirrored.unknown).toEqual([]);
    const { unknown: _u, syncedAt, ...settings } = mirrored;
    expect(syncedAt?.getTime()).toBe(m.clock.now.getTime());
    const byId = <T extends { id: number }>(xs: T[]) => [...xs].sort((a, b) => a.id - b.id);
    expect({ ...settings, branchRestrictions: byId(settings.branchRestrictions) }).toEqual({ ...live, branchRestrictions: byId(live.branchRestrictions) });

    const settingsMirror = createRepositorySettingsMirror({ store: m.store, now: () => m.clock.now });
    m.h.sandbox.requests.reset();
    const [row] = await previewTemplateFromMirror(settingsMirror, m.clientKey, template, ['acme/web']);
    expect(m.h.sandbox.requests.get(credential()).total).toBe(0);
    const liveDiff = diffRepositorySettings(template, live);
    expect(row).toEqual({
      fullName: 'acme/web',
      changes: liveDiff.applicable.map(describeSettingChange),
      manual: ['merge strategies should be squash (default squash): change them in the repository\'s settings'],
      unknown: [],
      drifted: true,
    });
    // The restriction's value, the exempt user (kept), the webhook's activity: what the live diff lists too.
    expect(row!.changes).toContain('update branch restriction require_approvals_to_merge = 2 on main (now 1)');
    expect(row!.changes).toContain('update webhook https://ci.example.com/h');
    expect(row!.changes.some((c) => c.includes('push'))).toBe(false);
  });

  it('what the mirror does not know yet is said ("checked at apply"), never read live; a repository it has not met is said too', async () => {
    // No repository:admin nor webhook scope: restrictions, reviewers and webhooks are refused and kept as unavailable.
    m = await startMirrorHarness(kind);
    await m.sync.initialSync(m.clientKey, m.source());
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    await facts.syncFacts(m.clientKey, m.source(), repo('web').uuid);
    const settingsMirror = createRepositorySettingsMirror({ store: m.store, now: () => m.clock.now });
    m.h.sandbox.requests.reset();
    const rows = await previewTemplateFromMirror(settingsMirror, m.clientKey, template, ['acme/web', 'acme/api', 'acme/nowhere']);
    expect(m.h.sandbox.requests.get(credential()).total).toBe(0);
    const [web, api, nowhere] = rows;
    expect(web!.unknown).toEqual(expect.arrayContaining([
      'branch restrictions: not known yet, checked at apply', 'default reviewers: not known yet, checked at apply', 'webhooks: not known yet, checked at apply',
    ]));
    expect(web!.changes.some((c) => c.includes('branch restriction') || c.includes('webhook') || c.includes('default reviewer'))).toBe(false);
    expect(web!.changes).toContain('set the description');
    // api's facts were never listed: every fact-backed setting is unknown; what the repository row says is known.
    expect(api!.unknown).toHaveLength(5);
    expect(api!.changes).toContain('set the description');
    expect(nowhere).toMatchObject({ fullName: 'acme/nowhere', changes: [], drifted: false, unknown: ['not in the mirror yet: every setting is checked at apply'] });
  });

  it('an apply writes what it left in place to the mirror: the next preview reads "matches" without a request', async () => {
    m = await startMirrorHarness(kind, { descriptor: { scopes: ALL_SCOPES } });
    await m.sync.initialSync(m.clientKey, m.source());
    const facts = createRepositoryFactsSync({ store: m.store, now: () => m.clock.now });
    await facts.syncFacts(m.clientKey, m.source(), repo('web').uuid);
    const settingsMirror = createRepositorySettingsMirror({ store: m.store, now: () => m.clock.now });
    const noStrategies = repositoryTemplateSchema.parse({ ...template, settings: { ...template.settings, mergeStrategies: undefined } });
    const [before] = await previewTemplateFromMirror(settingsMirror, m.clientKey, noStrategies, ['acme/web']);
    expect(before!.drifted).toBe(true);

    const templates = createMemoryRepositoryTemplateStore();
    const { applied } = await ensureRepositoryTemplate({ client: clientOf(), templates, clientKey: m.clientKey, workspace: 'acme', repo: 'web', template: noStrategies, now: () => m.clock.now, settingsMirror });
    expect(applied.map(describeSettingChange)).toEqual(before!.changes);

    m.h.sandbox.requests.reset();
    const [after] = await previewTemplateFromMirror(settingsMirror, m.clientKey, noStrategies, ['acme/web']);
    expect(m.h.sandbox.requests.get(credential()).total).toBe(0);
    expect(after).toMatchObject({ drifted: false, changes: [], unknown: [] });
    // And it is what Bitbucket now has.
    expect(diffRepositorySettings(noStrategies, await loadRepositorySettings(clientOf(), 'acme', 'web')).drifted).toBe(false);
    // The next listing agrees (and brings the new rules' ids).
    await facts.syncFacts(m.clientKey, m.source(), repo('web').uuid);
    const [relisted] = await previewTemplateFromMirror(settingsMirror, m.clientKey, noStrategies, ['acme/web']);
    expect(relisted).toMatchObject({ drifted: false, unknown: [] });
  });
});
