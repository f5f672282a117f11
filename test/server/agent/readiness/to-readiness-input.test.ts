import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../../../sandbox';
import { toCommitStatus } from '../../../../sandbox/serialize/to-commit-status';
import { toPullRequest } from '../../../../sandbox/serialize/to-pull-request';
import { readinessPullRequestSchema } from '../../../../server/agent/readiness/readiness-pull-request';
import { toReadinessInput } from '../../../../server/agent/readiness/to-readiness-input';
import { branchRestrictionSchema, commitStatusSchema, pullRequestSchema } from '../../../../server/bitbucket';
import { evaluateReadiness } from '../../../../server/rules';

describe('toReadinessInput from Bitbucket shapes', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => sandbox?.close());

  it('reads participants, statuses, restrictions and a deleted source branch from what the REST API answers, and agrees with the sandbox', () => {
    sandbox = createSandbox({ publicUrl: 'http://sandbox.invalid', rateLimitPerHour: 0, logger: { info() {}, warn() {}, error() {} } });
    const a = sandbox.actions;
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/ri', actor: 'bob', message: 'work' });
    const created = a.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'RI', sourceBranch: 'feature/ri', reviewers: ['carol', 'dave'] });
    const ref = { workspace: 'acme', repo: 'web', id: created.id };
    a.approve(ref, 'carol');
    a.requestChanges(ref, 'dave');
    a.setCommitStatus({ workspace: 'acme', repo: 'web', commit: created.source.hash, actor: 'bob', key: 'ci', name: 'Unit', state: 'SUCCESSFUL' });
    const restriction = a.createBranchRestriction({ workspace: 'acme', repo: 'web' }, { kind: 'require_no_changes_requested', branchMatchKind: 'glob', pattern: 'main' });
    const ctx = { state: sandbox.state, publicUrl: 'http://sandbox.invalid', apiBaseUrl: 'http://sandbox.invalid' };
    const repo = sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const json = JSON.parse(JSON.stringify(toPullRequest(ctx, created)));
    const full = pullRequestSchema.parse(json);
    const slim = readinessPullRequestSchema.parse(json);
    const statuses = sandbox.state.statuses.filter((s) => s.commitHash === created.source.hash).map((s) => commitStatusSchema.parse(toCommitStatus(ctx, repo, s)));
    const restrictions = [branchRestrictionSchema.parse({ id: restriction.id, kind: restriction.kind, branch_match_kind: 'glob', pattern: 'main', users: [], groups: [] })];
    const facts = { statuses, restrictions, defaultReviewerUuids: [], mainBranch: 'main', tasks: null };
    const input = toReadinessInput(slim, facts);
    expect(toReadinessInput(full, facts)).toEqual(input);
    const carol = sandbox.state.users.find((u) => u.nickname === 'carol')!.uuid;
    const dave = sandbox.state.users.find((u) => u.nickname === 'dave')!.uuid;
    expect(input.participants).toEqual(
      expect.arrayContaining([
        { userUuid: carol, displayName: 'Carol Reviewer', approved: true, state: 'approved' },
        { userUuid: dave, displayName: 'Dave Developer', approved: false, state: 'changes_requested' },
      ]),
    );
    expect(input.statuses).toEqual([{ key: 'ci', name: 'Unit', state: 'SUCCESSFUL' }]);
    expect(input.sourceBranchExists).toBe(true);
    const verdict = evaluateReadiness(input, { enforcement: 'always' });
    expect(verdict.blockers.map((b) => [b.id, b.message])).toEqual([['changes-requested', 'Changes requested by Dave Developer.']]);
    expect(() => a.merge(ref, 'alice')).toThrow(/Changes are requested/);

    // Bitbucket answers `source.commit: null` once the source branch is gone (pullRequestEndpointSchema).
    const gone = readinessPullRequestSchema.parse({ ...json, source: { ...json.source, commit: null } });
    expect(evaluateReadiness(toReadinessInput(gone, facts), { enforcement: 'always' }).blockers.map((b) => b.id)).toEqual(['branches', 'changes-requested']);
  });
});
