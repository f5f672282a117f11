import { describe, expect, it } from 'vitest';
import { planPullRequestRules, planPushRules, planReviewerRetry, planStaleRule, toStaleRemindedAt, type PullRequestRuleFacts } from '../../../../server/agent';
import { parseBosunFile, resolvePolicy, type PolicyLayer } from '../../../../server/policies';
import { toRuleFacts } from './rule-facts-fixture';

const BOB = '{b0b00000-0000-4000-8000-000000000002}';
const CAROL = '{ca201000-0000-4000-8000-000000000003}';
const DAVE = '{da7e0000-0000-4000-8000-000000000004}';
const NOW = new Date('2026-12-01T12:00:00Z');

const facts = (layer: PolicyLayer, over: Partial<PullRequestRuleFacts> = {}): PullRequestRuleFacts =>
  toRuleFacts(layer, { id: 7, title: 'WEB-7 Colours', authorUuid: BOB, sourceBranch: 'feature/x' }, over);
const owners: PolicyLayer = { groups: { ui: [BOB, CAROL, DAVE] }, reviewers: { mode: 'on', owners: [{ paths: ['src/ui/'], reviewers: ['group:ui'] }], includeDefaultReviewers: false } };

describe('rules planners (pure)', () => {
  it('assigns a group member on creation (never the author), once per PR; not on update unless the policy says', () => {
    const [plan, ...rest] = planPullRequestRules(facts({ ...owners, readiness: { mode: 'off' } }), NOW);
    expect(rest).toEqual([]);
    expect(plan).toMatchObject({ rule: 'reviewers', mode: 'on', idempotencyKey: 'rules:{7eb00000-0000-4000-8000-00000000a001}:7:reviewers:created' });
    expect(plan!.plan.steps).toEqual([{ tool: 'pullRequest.addReviewers', input: { workspace: 'acme', repo: 'web', pullRequestId: 7, reviewers: [CAROL] } }]);
    expect(planPullRequestRules(facts({ ...owners, readiness: { mode: 'off' } }, { event: 'updated' }), NOW)).toEqual([]);
    const onUpdate = planPullRequestRules(facts({ ...owners, reviewers: { ...owners.reviewers, onUpdate: true }, readiness: { mode: 'off' } }, { event: 'updated' }), NOW);
    expect(onUpdate[0]!.idempotencyKey).toMatch(/:reviewers:a{40}$/);
  });

  it('in dry-run plans one record step that names what it would do, keyed by it', () => {
    const plans = planPullRequestRules(facts({ ...owners, reviewers: { ...owners.reviewers, mode: 'dry-run' }, readiness: { mode: 'off' } }), NOW);
    expect(plans).toHaveLength(1);
    expect(plans[0]!.plan.steps).toEqual([
      { tool: 'rule.recordDryRun', input: { workspace: 'acme', repo: 'web', pullRequestId: 7, rule: 'reviewers', wouldDo: [expect.stringMatching(new RegExp(`^add \\${CAROL.slice(0, -1)}`))] } },
    ]);
    expect(plans[0]!.idempotencyKey).toMatch(/:reviewers:created:dry-run:[0-9a-f]{16}$/);
  });

  it('keeps the statuses in one plan keyed by commit and content: the same state gives the same key, another state another', () => {
    const layer: PolicyLayer = { readiness: { mode: 'on', titlePattern: '^WEB-\\d+ ' }, reviewers: { mode: 'off' }, description: { mode: 'on', requiredSections: ['Why'] } };
    const [a] = planPullRequestRules(facts(layer), NOW);
    const [b] = planPullRequestRules(facts(layer), NOW);
    expect(a!.plan.steps.map((s) => (s.input as { key: string; state: string }).key)).toEqual(['bosun/ready', 'bosun/policy']);
    expect(a!.plan.steps.map((s) => (s.input as { state: string }).state)).toEqual(['INPROGRESS', 'FAILED']);
    expect(b!.idempotencyKey).toBe(a!.idempotencyKey);
    const [c] = planPullRequestRules(facts(layer, { pullRequest: { ...facts(layer).pullRequest, description: '## Why\nBecause.' } }), NOW);
    expect(c!.idempotencyKey).not.toBe(a!.idempotencyKey);
  });

  it('an invalid bosun.yml is a FAILED bosun/config naming it, and its rules are not applied', () => {
    const resolved = resolvePolicy([{ source: 'workspace', data: { readiness: { mode: 'off' }, reviewers: { mode: 'off' } } }, parseBosunFile('reviewers:\n  mode: on\n  strategy: random\n')]);
    expect(resolved.policy.reviewers.mode).toBe('off');
    const plans = planPullRequestRules(facts({}, { resolved, bosunFilePresent: true }), NOW);
    expect(plans).toHaveLength(1);
    expect(plans[0]!.plan.steps[0]).toMatchObject({ tool: 'buildStatus.report', input: { key: 'bosun/config', state: 'FAILED', description: expect.stringMatching(/bosun\.yml reviewers\.strategy/) } });
    expect(resolvePolicy([parseBosunFile(': : [')]).issues[0]).toMatchObject({ source: 'bosun.yml', message: expect.stringMatching(/^not valid YAML/) });
    expect(resolvePolicy([parseBosunFile('just a string')]).issues[0]!.message).toBe('must be a mapping of policy sections');
    expect(resolvePolicy([parseBosunFile('')]).issues).toEqual([]);
  });

  it('no plans for a closed PR, and no statuses without a head commit', () => {
    expect(planPullRequestRules(facts(owners, { pullRequest: { ...facts(owners).pullRequest, state: 'MERGED' } }), NOW)).toEqual([]);
    const plans = planPullRequestRules(facts({ ...owners, readiness: { mode: 'on' } }, { pullRequest: { ...facts(owners).pullRequest, commitHash: null } }), NOW);
    expect(plans.map((p) => p.rule)).toEqual(['reviewers']);
  });

  it('bot PRs: one per matching rule, keyed by repository, source and target; none when one is open', () => {
    const policy = resolvePolicy([{ source: 'workspace', data: { groups: { rel: [CAROL] }, botPullRequests: { mode: 'on', rules: [{ branches: 'release/*', target: 'main', title: 'Release {{branch.name}}', reviewers: ['group:rel', DAVE] }] } } }]).policy;
    const push = { branch: 'release/2.0', closed: false, repository: 'acme/web', actorDisplayName: 'Bob', workspace: 'acme', repo: 'web', repositoryUuid: '{r}' };
    const [plan] = planPushRules(push, policy, []);
    expect(plan!.idempotencyKey).toBe('rules:{r}:bot-pr:release/2.0:main');
    expect(plan!.plan.steps[0]).toEqual({ tool: 'pullRequest.open', input: { workspace: 'acme', repo: 'web', source: 'release/2.0', destination: 'main', title: 'Release 2.0', reviewers: [DAVE, CAROL] } });
    expect(planPushRules(push, policy, [{ id: 3, source: 'release/2.0', destination: 'main' }])).toEqual([]);
    expect(planPushRules({ ...push, branch: 'feature/x' }, policy, [])).toEqual([]);
  });

  it('stale: remind keyed by the activity, decline keyed by the reminder and confirmed by the policy', () => {
    const policy = resolvePolicy([{ source: 'workspace', data: { stale: { mode: 'on', remindAfterDays: 5, declineAfterDays: 3, decline: true } } }]).policy;
    const pr = { workspace: 'acme', repo: 'web', repositoryUuid: '{r}', id: 4, title: 'Old', state: 'OPEN', lastActivityAt: '2026-11-20T00:00:00.000Z', remindedAt: null };
    const [remind] = planStaleRule(pr, policy, NOW);
    expect(remind).toMatchObject({ idempotencyKey: 'rules:{r}:4:stale:remind:2026-11-20T00:00:00.000Z', confirmed: false });
    const body = (remind!.plan.steps[0]!.input as { body: string; stickyKey: string }).body;
    expect(toStaleRemindedAt(body)).toBe(NOW.toISOString());
    expect(planStaleRule({ ...pr, remindedAt: '2026-11-29T12:00:00.000Z' }, policy, NOW)).toEqual([]);
    const [decline] = planStaleRule({ ...pr, remindedAt: '2026-11-27T12:00:00.000Z' }, policy, NOW);
    expect(decline).toMatchObject({ idempotencyKey: 'rules:{r}:4:stale:decline:2026-11-27T12:00:00.000Z', confirmed: true, plan: { steps: [{ tool: 'pullRequest.decline', input: { workspace: 'acme', repo: 'web', pullRequestId: 4 } }] } });
    const dry = planStaleRule({ ...pr, remindedAt: '2026-11-27T12:00:00.000Z' }, { ...policy, stale: { ...policy.stale, mode: 'dry-run' } }, NOW);
    expect(dry[0]!.plan.steps.map((s) => s.tool)).toEqual(['rule.recordDryRun']);
  });

  it('a 400 for a reviewer: one retry without the one Bitbucket names (or the only one added); no blind retry', () => {
    const f = facts({ ...owners, reviewers: { ...owners.reviewers, perGroup: 2 }, readiness: { mode: 'off' } });
    const retry = planReviewerRetry(f, { errorCode: 'BITBUCKET_BAD_REQUEST', message: `${CAROL} is not a valid reviewer`, reviewers: [CAROL, DAVE] }, NOW);
    expect(retry!.plan.steps[0]!.input).toMatchObject({ reviewers: [DAVE] });
    expect(retry!.plan.summary).toContain(`Bitbucket refused ${CAROL} as reviewer`);
    expect(retry!.idempotencyKey).toMatch(new RegExp(`:without:\\${CAROL.slice(0, -1)}`));
    expect(planReviewerRetry(f, { errorCode: 'BITBUCKET_BAD_REQUEST', message: 'Invalid reviewers', reviewers: [CAROL, DAVE] }, NOW)).toBeNull();
    expect(planReviewerRetry(f, { errorCode: 'BITBUCKET_RATE_LIMITED', message: CAROL, reviewers: [CAROL] }, NOW)).toBeNull();
    expect(planReviewerRetry(f, { errorCode: 'AGENT_TOOL_REFUSED', message: 'Pull request #7 is merged', reviewers: [CAROL] }, NOW)).toBeNull();
    // Bitbucket names people by display name; pullRequest.addReviewers turns that into their uuid (its refusal), which this reads.
    const named = planReviewerRetry(f, { errorCode: 'AGENT_TOOL_REFUSED', message: `Bitbucket refused Carol (${CAROL}) as a reviewer of pull request #7: Carol is not a member of this workspace and cannot be added to this pull request`, reviewers: [CAROL, DAVE] }, NOW);
    expect(named!.plan.steps[0]!.input).toMatchObject({ reviewers: [DAVE] });
  });
});
