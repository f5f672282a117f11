import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox';

describe('sandbox seed', () => {
  const { state } = createSandbox({ publicUrl: 'http://localhost:4000' });

  it('has the acme workspace with alice as the first user and admin', () => {
    expect(state.workspaces).toHaveLength(1);
    expect(state.workspaces[0]!.slug).toBe('acme');
    expect(state.workspaces[0]!.uuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(state.users.length).toBeGreaterThanOrEqual(4);
    expect(state.users[0]!.nickname).toBe('alice');
    expect(state.workspaces[0]!.admins).toContain('alice');
  });

  it('has web, api and infra with 40-hex commits and branches that point at known commits', () => {
    expect(state.repositories.map((r) => r.slug).sort()).toEqual(['api', 'infra', 'web']);
    for (const c of state.commits) expect(c.hash).toMatch(/^[0-9a-f]{40}$/);
    for (const b of state.branches) expect(state.commits.some((c) => c.hash === b.target && c.repoUuid === b.repoUuid)).toBe(true);
  });

  it('has at least 8 pull requests in mixed states, a draft, approvals and a change request', () => {
    const prs = state.pullRequests;
    expect(prs.length).toBeGreaterThanOrEqual(8);
    expect(new Set(prs.map((p) => p.state))).toEqual(new Set(['OPEN', 'MERGED', 'DECLINED']));
    expect(prs.filter((p) => p.state === 'OPEN').length).toBeGreaterThanOrEqual(3);
    expect(prs.some((p) => p.state === 'OPEN' && p.draft)).toBe(true);
    expect(prs.some((p) => p.participants.some((x) => x.approved))).toBe(true);
    expect(prs.some((p) => p.participants.some((x) => x.state === 'changes_requested'))).toBe(true);
    for (const p of prs.filter((x) => x.state === 'MERGED')) expect(p.mergeCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('has statuses in all four states on open PR source commits, and an open PR with none', () => {
    expect(new Set(state.statuses.map((s) => s.state))).toEqual(new Set(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']));
    const open = state.pullRequests.filter((p) => p.state === 'OPEN');
    // Every status is on an open PR's source commit, except those the seeded Pipelines runs posted on the commit they ran (main's head).
    // Pipelines keys a run's status by its branch, so the seeded runs on main's head leave one status: the last run's.
    const ranOn = new Set(state.pipelines.map((p) => `${p.repoUuid} ${p.commitHash} ${p.refName}`));
    const posted = state.statuses.filter((s) => /\/addon\/pipelines\/home#!\/results\/\d+$/.test(s.url));
    for (const s of state.statuses) expect(open.some((p) => p.source.hash === s.commitHash) || ranOn.has(`${s.repoUuid} ${s.commitHash} ${s.refname}`)).toBe(true);
    expect(posted.map((s) => s.name)).toEqual([`Pipeline #${Math.max(...state.pipelines.map((p) => p.buildNumber))} for main`]);
    const web1 = open.find((p) => p.id === 1 && state.repositories.find((r) => r.uuid === p.repoUuid)?.slug === 'web')!;
    expect(state.statuses.filter((s) => s.commitHash === web1.source.hash).map((s) => s.state).sort()).toEqual(['INPROGRESS', 'SUCCESSFUL']);
    expect(open.some((p) => !state.statuses.some((s) => s.commitHash === p.source.hash))).toBe(true);
  });

  it('is deterministic across instances', () => {
    const other = createSandbox({ publicUrl: 'http://localhost:4000' }).state;
    expect(other.commits.map((c) => c.hash)).toEqual(state.commits.map((c) => c.hash));
  });
});
