import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  RULE_NAMES,
  createMemoryPolicyStore,
  PolicyConflictError,
  resolvePolicy,
  toBosunFileLayer,
  toBosunFileLocation,
  toConfigStatus,
  toReadinessPolicy,
} from '../../../server/policies';

const ALICE = '{a11ce000-0000-4000-8000-000000000001}';
const CAROL = '{ca201000-0000-4000-8000-000000000003}';

describe('resolvePolicy', () => {
  it('with no layers every rule is in dry-run', () => {
    const { policy, applied, issues } = resolvePolicy([]);
    expect(applied).toEqual([]);
    expect(issues).toEqual([]);
    for (const rule of RULE_NAMES) expect(policy[rule].mode, rule).toBe('dry-run');
    expect(policy).toEqual(DEFAULT_POLICY);
  });

  it('workspace, then repository, then bosun.yml: each later layer replaces the fields it sets', () => {
    const { policy, applied } = resolvePolicy([
      { source: 'workspace', data: { groups: { backend: [ALICE] }, stale: { mode: 'on', remindAfterDays: 10 }, readiness: { allowedTargetBranches: ['main'] } } },
      { source: 'repository', data: { stale: { remindAfterDays: 3 }, readiness: { allowedTargetBranches: ['main', 'release/*'] } } },
      { source: 'bosun.yml', data: { groups: { web: [CAROL] }, reviewers: { owners: [{ paths: ['web/**'], reviewers: ['group:web', 'group:backend'] }] } } },
    ]);
    expect(applied).toEqual(['workspace', 'repository', 'bosun.yml']);
    expect(policy.stale).toEqual({ mode: 'on', remindAfterDays: 3, declineAfterDays: 7, decline: false });
    expect(policy.readiness.allowedTargetBranches).toEqual(['main', 'release/*']);
    expect(policy.groups).toEqual({ backend: [ALICE], web: [CAROL] });
    expect(policy.reviewers.owners).toHaveLength(1);
    expect(policy.reviewers.mode).toBe('dry-run');
  });

  it('an invalid layer is reported with paths and skipped whole, never half-applied', () => {
    const { policy, applied, issues } = resolvePolicy([
      { source: 'workspace', data: { stale: { mode: 'on' } } },
      { source: 'bosun.yml', data: { stale: { remindAfterDays: 2 }, reviewers: { strategy: 'random' }, readiness: { titlePattern: '(' }, typo: true } },
    ]);
    expect(applied).toEqual(['workspace']);
    expect(policy.stale.remindAfterDays).toBe(7);
    expect(issues.map((i) => `${i.source}:${i.path}`).sort()).toEqual(['bosun.yml:', 'bosun.yml:readiness.titlePattern', 'bosun.yml:reviewers.strategy'].sort());
    expect(issues.find((i) => i.path === '')!.message).toMatch(/typo/);
  });

  it.each([
    ['a freeze that ends before it starts', { readiness: { freezeWindows: [{ start: '2026-12-02T00:00:00Z', end: '2026-12-01T00:00:00Z' }] } }, 'readiness.freezeWindows.0.end'],
    ['a reviewer that is neither a uuid nor a group', { reviewers: { owners: [{ paths: ['**'], reviewers: ['alice'] }] } }, 'reviewers.owners.0.reviewers.0'],
    ['a group no layer defines', { reviewers: { owners: [{ paths: ['**'], reviewers: ['group:ghosts'] }] } }, 'reviewers.owners.0.reviewers.0'],
    ['a bot rule targeting an invalid branch', { botPullRequests: { rules: [{ branches: 'release/*', target: 'bad..name', title: 'x' }] } }, 'botPullRequests.rules.0.target'],
    ['a mode that does not exist', { stale: { mode: 'yes' } }, 'stale.mode'],
    ['a non-integer day count', { stale: { remindAfterDays: 1.5 } }, 'stale.remindAfterDays'],
    ['a list where a mapping belongs', ['stale'], ''],
  ])('reports %s', (_name, data, path) => {
    const { applied, issues } = resolvePolicy([{ source: 'repository', data }]);
    expect(applied).toEqual([]);
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('a bosun.yml that does not parse is reported as the bosun.yml layer; an empty one is an empty layer', () => {
    const broken = toBosunFileLayer('reviewers: [', () => {
      throw new Error('unexpected end of the stream\nat line 1');
    });
    const resolved = resolvePolicy([{ source: 'workspace', data: { stale: { mode: 'on' } } }, broken]);
    expect(resolved.applied).toEqual(['workspace']);
    expect(resolved.issues).toHaveLength(1);
    expect(resolved.issues[0]!.source).toBe('bosun.yml');
    expect(resolvePolicy([toBosunFileLayer('', () => undefined)]).applied).toEqual(['bosun.yml']);
    expect(toBosunFileLayer(null, () => ({})).data).toBeNull();
  });

  it('reads bosun.yml from the destination branch, never the source', () => {
    expect(toBosunFileLocation({ destination: { branch: { name: 'main' } } })).toEqual({ ref: 'main', path: 'bosun.yml' });
  });

  it('bosun/config: SUCCESSFUL when clean, FAILED naming the problems within 255 characters', () => {
    expect(toConfigStatus(resolvePolicy([{ source: 'workspace', data: {} }]))).toEqual({ key: 'bosun/config', state: 'SUCCESSFUL', description: 'Policy applied (workspace).' });
    const failed = toConfigStatus(resolvePolicy([{ source: 'bosun.yml', data: { stale: { mode: 'yes', remindAfterDays: 0, declineAfterDays: -1, decline: 'no' } } }]));
    expect(failed.state).toBe('FAILED');
    expect(failed.description).toMatch(/^Invalid policy ignored: bosun\.yml stale\.mode: /);
    expect(failed.description).toMatch(/\(\+1 more\)$/);
    expect(failed.description.length).toBeLessThanOrEqual(255);
  });

  it('hands the readiness oracle its part of the policy', () => {
    const { policy } = resolvePolicy([{ source: 'workspace', data: { readiness: { titlePattern: '^[A-Z]+-\\d+', requireBuilds: false } } }]);
    expect(toReadinessPolicy(policy)).toEqual({ titlePattern: '^[A-Z]+-\\d+', allowedTargetBranches: undefined, freezeWindows: [], requireBuilds: false });
  });
});

describe('the merge queue section: strategy and source-branch closing', () => {
  it('defaults to merge_commit and leaves closing to each PR; workspace < repository < bosun.yml', () => {
    expect(resolvePolicy([]).policy.mergeQueue).toEqual({ branches: [], lanes: {}, strategy: 'merge_commit' });
    expect(resolvePolicy([]).policy.mergeQueue.closeSourceBranch).toBeUndefined();
    const layered = resolvePolicy([
      { source: 'workspace', data: { mergeQueue: { branches: ['main'], strategy: 'fast_forward', closeSourceBranch: true } } },
      { source: 'repository', data: { mergeQueue: { closeSourceBranch: false } } },
      { source: 'bosun.yml', data: { mergeQueue: { strategy: 'merge_commit' } } },
    ]);
    expect(layered.issues).toEqual([]);
    expect(layered.policy.mergeQueue).toEqual({ branches: ['main'], lanes: {}, strategy: 'merge_commit', closeSourceBranch: false });
    const repoOnly = resolvePolicy([{ source: 'workspace', data: {} }, { source: 'repository', data: { mergeQueue: { strategy: 'fast_forward' } } }]);
    expect(repoOnly.policy.mergeQueue.strategy).toBe('fast_forward');
  });

  it('refuses squash with the reason, and any other unknown strategy', () => {
    const squash = resolvePolicy([{ source: 'workspace', data: { mergeQueue: { strategy: 'squash' } } }]);
    expect(squash.policy.mergeQueue.strategy).toBe('merge_commit');
    expect(squash.issues).toEqual([expect.objectContaining({ source: 'workspace', path: 'mergeQueue.strategy', message: expect.stringMatching(/squash is not possible.*marks a pull request merged only when its own commits reach the target/) })]);
    const other = resolvePolicy([{ source: 'repository', data: { mergeQueue: { strategy: 'rebase', closeSourceBranch: 'yes' } } }]);
    expect(other.issues.map((i) => [i.path, i.message])).toEqual(expect.arrayContaining([['mergeQueue.strategy', 'must be merge_commit or fast_forward'], ['mergeQueue.closeSourceBranch', expect.any(String)]]));
  });
});

describe('memory policy store', () => {
  it('saves with optimistic versions and keeps tenants apart', async () => {
    const store = createMemoryPolicyStore(() => new Date('2026-12-01T00:00:00Z'));
    const saved = await store.save('t1', 'workspace', { stale: { mode: 'on' } }, ALICE, 0);
    expect(saved.version).toBe(1);
    await expect(store.save('t1', 'workspace', {}, ALICE, 0)).rejects.toBeInstanceOf(PolicyConflictError);
    expect((await store.save('t1', 'workspace', {}, ALICE, 1)).version).toBe(2);
    expect(await store.get('t2', 'workspace')).toBeNull();
    expect(await store.list('t2')).toEqual([]);
    expect((await store.list('t1')).map((p) => p.scope)).toEqual(['workspace']);
  });
});
