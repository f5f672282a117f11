import { describe, expect, it } from 'vitest';
import { describeSettingChange, diffRepositorySettings, type RepositorySettings, type RepositorySettingChange } from '../../../server/policies/diff-repository-settings';
import { repositoryTemplateSchema, type RepositoryTemplate } from '../../../server/policies/repository-template';

const CAROL = '{6c7f5d3b-0000-4000-8000-00000000000c}';
const DAN = '{6c7f5d3b-0000-4000-8000-00000000000d}';

const template: RepositoryTemplate = repositoryTemplateSchema.parse({
  name: 'service',
  settings: {
    isPrivate: true,
    mainBranch: 'main',
    description: 'A service',
    branchRestrictions: [
      { kind: 'require_approvals_to_merge', pattern: 'main', value: 2 },
      { kind: 'push', pattern: 'main', users: [CAROL] },
    ],
    defaultReviewers: [CAROL],
    webhooks: [{ description: 'CI', url: 'https://ci.example.com/hook', events: ['repo:push', 'pullrequest:created'] }],
    pipelinesEnabled: true,
    mergeStrategies: { allowed: ['squash', 'merge_commit'], default: 'squash' },
  },
});

const bare: RepositorySettings = {
  fullName: 'acme/api',
  isPrivate: false,
  mainBranch: 'master',
  description: '',
  branchRestrictions: [],
  mergeStrategies: { allowed: ['merge_commit', 'squash', 'fast_forward'], default: 'merge_commit' },
  defaultReviewers: [],
  webhooks: [],
  pipelinesEnabled: false,
};

/** What a repository looks like once every applicable change is in place (a stand-in for Bitbucket). */
function applyAll(current: RepositorySettings, changes: RepositorySettingChange[]): RepositorySettings {
  const next = structuredClone(current);
  let id = 100;
  for (const c of changes) {
    if (c.setting === 'isPrivate') next.isPrivate = c.to;
    if (c.setting === 'mainBranch') next.mainBranch = c.to;
    if (c.setting === 'description') next.description = c.to;
    if (c.setting === 'pipelinesEnabled') next.pipelinesEnabled = c.to;
    if (c.setting === 'defaultReviewer') next.defaultReviewers.push(c.uuid.toUpperCase());
    if (c.setting === 'branchRestriction') {
      next.branchRestrictions = next.branchRestrictions.filter((r) => r.id !== c.id);
      next.branchRestrictions.push({ id: c.id ?? id++, kind: c.kind, pattern: c.pattern, ...c.to });
    }
    if (c.setting === 'webhook') {
      next.webhooks = next.webhooks.filter((w) => w.uuid !== c.uuid);
      next.webhooks.push({ uuid: c.uuid ?? `{hook-${id++}}`, ...c.to, events: [...c.to.events].reverse() });
    }
  }
  return next;
}

describe('diffRepositorySettings', () => {
  it('lists every change a bare repository needs, in applying order, with the merge strategies as manual drift', () => {
    const diff = diffRepositorySettings(template, bare);
    expect(diff.drifted).toBe(true);
    expect(diff.changes.map((c) => c.setting)).toEqual([
      'isPrivate', 'mainBranch', 'description', 'branchRestriction', 'branchRestriction', 'defaultReviewer', 'webhook', 'pipelinesEnabled', 'mergeStrategies',
    ]);
    expect(diff.applicable).toHaveLength(8);
    expect(diff.applicable.some((c) => c.setting === 'mergeStrategies')).toBe(false);
    expect(diff.changes.map(describeSettingChange)).toContain('add branch restriction require_approvals_to_merge = 2 on main');
  });

  it('finds nothing once the changes are applied (idempotent re-apply), whatever order or case Bitbucket answers in', () => {
    const once = diffRepositorySettings(template, bare);
    const after = applyAll(bare, once.applicable);
    after.mergeStrategies = { allowed: ['merge_commit', 'squash'], default: 'squash' };
    const again = diffRepositorySettings(template, after);
    expect(again.changes).toEqual([]);
    expect(again.drifted).toBe(false);
  });

  it('after a stop part-way, lists exactly what was not applied yet (resume)', () => {
    const once = diffRepositorySettings(template, bare);
    const half = applyAll(bare, once.applicable.slice(0, 4));
    const rest = diffRepositorySettings(template, half);
    expect(rest.applicable).toEqual(once.applicable.slice(4));
  });

  it('updates a rule with the wrong value in place and leaves rules, reviewers and webhooks it does not name alone', () => {
    const current: RepositorySettings = {
      ...bare,
      isPrivate: true,
      mainBranch: 'main',
      description: 'A service',
      pipelinesEnabled: true,
      mergeStrategies: null,
      branchRestrictions: [
        { id: 7, kind: 'require_approvals_to_merge', pattern: 'main', value: 1, users: [], groups: [] },
        { id: 8, kind: 'push', pattern: 'main', users: [CAROL], value: null, groups: [] },
        { id: 9, kind: 'delete', pattern: 'main', value: null, users: [], groups: [] },
      ],
      defaultReviewers: [CAROL, DAN],
      webhooks: [
        { uuid: '{w1}', description: 'CI', url: 'https://ci.example.com/hook', events: ['pullrequest:created', 'repo:push'], active: true },
        { uuid: '{w2}', description: 'Chat', url: 'https://chat.example.com', events: ['repo:push'], active: true },
      ],
    };
    const diff = diffRepositorySettings(template, current);
    expect(diff.changes).toEqual([
      {
        setting: 'branchRestriction', action: 'update', id: 7, kind: 'require_approvals_to_merge', pattern: 'main',
        from: { value: 1, users: [], groups: [] }, to: { value: 2, users: [], groups: [] },
      },
    ]);
  });

  it('checks and changes nothing a template leaves out', () => {
    const empty = repositoryTemplateSchema.parse({ name: 'empty', settings: {} });
    expect(diffRepositorySettings(empty, bare)).toMatchObject({ changes: [], drifted: false });
  });

  it('sees a webhook switched off or with other events as drift', () => {
    const current = applyAll(bare, diffRepositorySettings(template, bare).applicable);
    current.webhooks[0]!.active = false;
    const diff = diffRepositorySettings(template, current);
    expect(diff.changes).toMatchObject([{ setting: 'webhook', action: 'update', uuid: current.webhooks[0]!.uuid }, { setting: 'mergeStrategies' }]);
  });
});

describe('repositoryTemplateSchema', () => {
  it('refuses a rule missing its number, a number on a kind without one, duplicates, and unknown settings', () => {
    const bad = repositoryTemplateSchema.safeParse({
      name: 'x',
      settings: {
        branchRestrictions: [
          { kind: 'require_approvals_to_merge', pattern: 'main' },
          { kind: 'delete', pattern: 'main', value: 1 },
          { kind: 'force', pattern: 'main' },
          { kind: 'force', pattern: 'main' },
        ],
        colour: 'blue',
      },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['settings', 'settings.branchRestrictions.0.value', 'settings.branchRestrictions.1.value']));
    const dup = repositoryTemplateSchema.safeParse({ name: 'x', settings: { branchRestrictions: [{ kind: 'force', pattern: 'main' }, { kind: 'force', pattern: 'main' }] } });
    expect(dup.error!.issues.map((i) => i.message)).toEqual(['force on main is listed twice']);
  });

  it('refuses a default merge strategy that is not allowed, a bad branch name and a non-http webhook', () => {
    for (const settings of [
      { mergeStrategies: { allowed: ['squash'], default: 'merge_commit' } },
      { mainBranch: 'has space' },
      { webhooks: [{ description: 'x', url: 'ftp://example.com', events: ['repo:push'] }] },
      { defaultReviewers: ['carol'] },
    ]) {
      expect(repositoryTemplateSchema.safeParse({ name: 'x', settings }).success, JSON.stringify(settings)).toBe(false);
    }
  });
});
