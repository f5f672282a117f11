import { toConfigStatus, toReadinessPolicy, type ResolvedPolicy } from '../../policies';
import { checkDescription, chooseReviewers, evaluateReadiness, type ReviewerChoice, findRefusedReviewer, READINESS_STATUS_KEY, toReadinessStatus, type ReadinessInput } from '../../rules';
import type { PlanStep } from '../executor/plan';
import { toDigest, toRulePlan, type RulePlan } from './rules-plan';

/** What the pull-request rules look at: read by the handler (mirror first, Bitbucket for the rest). */
export interface PullRequestRuleFacts {
  /** `created` / `updated` from the webhook; `other` for approvals, statuses and the like. */
  event: 'created' | 'updated' | 'other';
  workspace: string;
  /** Repository slug (or `{uuid}`), as tools address it. */
  repo: string;
  /** `{uuid}`: keys stay stable when the repository is renamed. */
  repositoryUuid: string;
  pullRequest: {
    id: number;
    title: string;
    description: string;
    state: string;
    authorUuid: string;
    reviewerUuids: readonly string[];
    sourceBranch: string;
    /** Head of the source branch; null when the branch is gone (no status can be posted). */
    commitHash: string | null;
  };
  changedPaths: readonly string[];
  defaultReviewerUuids: readonly string[];
  /** Open PRs each person reviews in this repository now. */
  openReviews: Readonly<Record<string, number>>;
  readinessInput: ReadinessInput;
  resolved: ResolvedPolicy;
  /** A bosun.yml exists on the destination branch (its `bosun/config` status is kept then, valid or not). */
  bosunFilePresent: boolean;
}

const BOSUN_STATUS_KEYS = [READINESS_STATUS_KEY, 'bosun/policy', 'bosun/config'];

const refusedSuffix = (refused: readonly string[] | undefined) => (refused?.length ? `:without:${refused.join(',')}` : '');
const refusedNote = (refused: readonly string[] | undefined) => (refused?.length ? ` (Bitbucket refused ${refused.join(', ')} as reviewer: left out)` : '');

export interface PullRequestRuleOptions {
  refusedUuids?: readonly string[];
  /** Round-robin positions per group as stored (absent: each group starts at its first member). */
  cursors?: Readonly<Record<string, number>>;
}

/**
 * The reviewer rule's choice for this event, or null when the rule does not run on it (off, a
 * closed PR, an update the policy ignores). Pure: the caller stores the returned cursors.
 */
export function toReviewerChoice(facts: PullRequestRuleFacts, options: PullRequestRuleOptions = {}): ReviewerChoice | null {
  const { policy } = facts.resolved;
  const pr = facts.pullRequest;
  const reviewers = policy.reviewers;
  if (pr.state !== 'OPEN' || reviewers.mode === 'off') return null;
  if (!(facts.event === 'created' || (facts.event === 'updated' && reviewers.onUpdate))) return null;
  return chooseReviewers({
    changedPaths: facts.changedPaths,
    owners: reviewers.owners,
    groups: policy.groups,
    authorUuid: pr.authorUuid,
    existingReviewerUuids: pr.reviewerUuids,
    defaultReviewerUuids: facts.defaultReviewerUuids,
    includeDefaultReviewers: reviewers.includeDefaultReviewers,
    openReviews: facts.openReviews,
    maxOpenReviewsPerPerson: reviewers.maxOpenReviewsPerPerson,
    strategy: reviewers.strategy,
    perGroup: reviewers.perGroup,
    cursors: options.cursors ?? {},
    refusedUuids: options.refusedUuids,
  });
}

/** The idempotency key of the reviewer rule's plan for this event (also the cursor advance's claim). */
export function toReviewerPlanKey(facts: PullRequestRuleFacts, options: PullRequestRuleOptions = {}): string {
  const pr = facts.pullRequest;
  // On creation once per PR; on update once per head commit.
  return `rules:${facts.repositoryUuid}:${pr.id}:reviewers:${facts.event === 'created' ? 'created' : (pr.commitHash ?? 'no-commit')}${refusedSuffix(options.refusedUuids)}`;
}

export interface FailedReviewerStep {
  errorCode: string | null;
  message: string | null;
  reviewers: readonly string[];
}

/**
 * After Bitbucket answered 400 to the reviewers the rule added (or the tool refused one who is not
 * a member of the workspace): the reviewer refused (named in the message, or the only one added);
 * null when it cannot tell who (no blind retry) or the failure was something else.
 */
export function toRefusedReviewer(failed: FailedReviewerStep): string | null {
  const message = failed.message ?? '';
  // Bitbucket Cloud's 400 to `PUT …/pullrequests/{id}` with a reviewer it will not take, as Renovate's
  // Bitbucket platform handles it (renovatebot/renovate#13274, its sanitizeReviewers): `error.fields.reviewers`
  // lists "<display name> is not a member of this workspace and cannot be added to this pull request",
  // "<display name> is the author and cannot be included as a reviewer." or "Malformed reviewers list"
  // (an inactive account), and `error.message` repeats them after "reviewers: ". openapi.json does not
  // document these. The person is named by display name, which the rule does not know (it holds uuids):
  // pullRequest.addReviewers, which resolved the names, refuses with the person's uuid instead; a message
  // naming nobody it added (several added) is not retried blindly. The sandbox's wording
  // for the app's bot user ("App users cannot be added as reviewers.") is unverified.
  // Bitbucket's 400, or the tool's own refusal of someone who is not a member (it names them; any other refusal, such as a closed PR, does not).
  const bitbucket = failed.errorCode === 'BITBUCKET_BAD_REQUEST';
  const tool = failed.errorCode === 'AGENT_TOOL_REFUSED' && failed.reviewers.some((u) => message.toLowerCase().includes(u.toLowerCase()));
  if (!bitbucket && !tool) return null;
  return findRefusedReviewer(message, failed.reviewers.map((uuid) => ({ uuid })));
}

/**
 * The reviewer plan once more without the reviewer Bitbucket refused ({@link toRefusedReviewer}),
 * with a note; null when it cannot tell who or the failure was something else.
 */
export function planReviewerRetry(facts: PullRequestRuleFacts, failed: FailedReviewerStep, now: Date, options: { cursors?: Readonly<Record<string, number>> } = {}): RulePlan | null {
  const refused = toRefusedReviewer(failed);
  if (refused === null) return null;
  return planPullRequestRules(facts, now, { ...options, refusedUuids: [refused] }).find((p) => p.rule === 'reviewers') ?? null;
}

/**
 * The rules' plans for one PR event: reviewer assignment (on creation, and on update when the
 * policy says), and Bosun's commit statuses on the head (`bosun/ready`, `bosun/policy`,
 * `bosun/config`) in one plan keyed by the commit and the statuses' content, so an unchanged state
 * is not written again. Each rule in dry-run becomes a record of what it would do.
 */
export function planPullRequestRules(facts: PullRequestRuleFacts, now: Date, options: PullRequestRuleOptions = {}): RulePlan[] {
  const { policy } = facts.resolved;
  const pr = facts.pullRequest;
  if (pr.state !== 'OPEN') return [];
  const target = { workspace: facts.workspace, repo: facts.repo, pullRequestId: pr.id };
  const base = `rules:${facts.repositoryUuid}:${pr.id}`;
  const plans: RulePlan[] = [];

  const reviewers = policy.reviewers;
  const choice = toReviewerChoice(facts, options);
  if (choice && reviewers.mode !== 'off') {
    if (choice.add.length > 0) {
      plans.push(
        toRulePlan({
          rule: 'reviewers',
          mode: reviewers.mode,
          key: toReviewerPlanKey(facts, options),
          summary: `Assign ${choice.add.length} reviewer${choice.add.length === 1 ? '' : 's'} to #${pr.id} by the reviewer rule${refusedNote(options.refusedUuids)}`,
          steps: [{ tool: 'pullRequest.addReviewers', input: { ...target, reviewers: choice.add } }],
          wouldDo: choice.add.map((u) => `add ${u} as reviewer (${choice.because[u] ?? 'rule'})`),
          target,
        }),
      );
    }
  }

  if (pr.commitHash === null) return plans;
  const statuses: { key: string; state: string; name: string; description: string; mode: 'on' | 'dry-run' }[] = [];
  if (policy.readiness.mode !== 'off') {
    const readiness = evaluateReadiness(facts.readinessInput, {
      enforcement: 'premium',
      policy: toReadinessPolicy(policy),
      now,
      // Bosun's own statuses never count as the builds it waits for.
      ownStatusKeys: BOSUN_STATUS_KEYS,
    });
    statuses.push({ ...toReadinessStatus(readiness), mode: policy.readiness.mode });
  }
  if (policy.description.mode !== 'off' && (policy.description.requiredSections.length > 0 || policy.description.minLength > 0)) {
    statuses.push({ ...checkDescription(pr.description, policy.description).status, mode: policy.description.mode });
  }
  if (facts.bosunFilePresent || facts.resolved.issues.length > 0) {
    // Not a rule: whether the policy could be read at all is always reported.
    statuses.push({ ...toConfigStatus(facts.resolved), name: 'Bosun: configuration', mode: 'on' });
  }
  const toStep = (s: (typeof statuses)[number]): PlanStep => ({
    tool: 'buildStatus.report',
    input: { workspace: facts.workspace, repo: facts.repo, commit: pr.commitHash, key: s.key, state: s.state, name: s.name, description: s.description, refname: pr.sourceBranch },
  });
  const live = statuses.filter((s) => s.mode === 'on');
  if (live.length > 0) {
    plans.push(
      toRulePlan({
        rule: live.some((s) => s.key === READINESS_STATUS_KEY) ? 'readiness' : live[0]!.key === 'bosun/policy' ? 'description' : 'config',
        mode: 'on',
        key: `${base}:statuses:${pr.commitHash}:${toDigest(live.map(({ key, state, description }) => [key, state, description]))}`,
        summary: `Keep Bosun's statuses on #${pr.id} up to date (${live.map((s) => `${s.key} ${s.state}`).join(', ')})`,
        steps: live.map(toStep),
        wouldDo: live.map((s) => `report ${s.key} ${s.state} on ${pr.commitHash?.slice(0, 12)}: ${s.description}`),
        target,
      }),
    );
  }
  for (const s of statuses.filter((x) => x.mode === 'dry-run')) {
    plans.push(
      toRulePlan({
        rule: s.key === READINESS_STATUS_KEY ? 'readiness' : 'description',
        mode: 'dry-run',
        key: `${base}:status:${s.key}:${pr.commitHash}`,
        summary: `report ${s.key} on #${pr.id}`,
        steps: [toStep(s)],
        wouldDo: [`report ${s.key} ${s.state} on ${pr.commitHash.slice(0, 12)}: ${s.description}`],
        target,
      }),
    );
  }
  return plans;
}
