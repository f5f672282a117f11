import { decideStaleAction, evaluateReadiness, type StalePolicy } from '../rules';
import type { EffectivePolicy } from './policy-schema';
import { toReadinessPolicy } from './resolve-policy';

export interface PreviewPullRequest {
  repository: string;
  id: number;
  title: string;
  state: string;
  draft: boolean;
  authorUuid: string;
  sourceBranch: string;
  destinationBranch: string;
  /** Bitbucket's `updated_on`: the last activity as far as a list tells. */
  updatedOn: string;
}

export interface PolicyChange {
  repository: string;
  id: number;
  title: string;
  /** Bosun-policy conditions failing before and after (title, target branch, freeze). */
  before: string[];
  after: string[];
  /** What the stale rule would do under the new policy, when it would do something. */
  stale: 'remind' | 'decline' | null;
  /** Whether that would act now (on) or only be recorded (dry-run). */
  staleExecutes: boolean;
}

const policyBlockers = (pr: PreviewPullRequest, policy: EffectivePolicy, now: Date): string[] =>
  evaluateReadiness(
    {
      pullRequest: { state: pr.state, draft: false, title: pr.title, authorUuid: pr.authorUuid, sourceBranch: pr.sourceBranch, destinationBranch: pr.destinationBranch },
      participants: [],
      statuses: [],
      tasks: [],
      restrictions: [],
      defaultReviewerUuids: [],
      mainBranch: null,
    },
    // Builds are left out: the preview lists PRs without their statuses, and a policy change does not move them.
    { enforcement: 'premium', policy: { ...toReadinessPolicy(policy), requireBuilds: false }, now },
  )
    .blockers.filter((b) => b.source === 'bosun')
    .map((b) => b.id);

/**
 * What a policy change would change on current PRs: the PRs whose Bosun-policy readiness differs,
 * and the ones the stale rule would remind or decline. Pure; branch restrictions are not part of a
 * policy and are left out. Bosun's reminders are not in a list's data, so every PR counts as never
 * reminded: the preview can only say "remind", never "decline", which it states as such.
 */
export function previewPolicyChange(prs: readonly PreviewPullRequest[], before: EffectivePolicy, after: EffectivePolicy, now: Date): PolicyChange[] {
  const stalePolicy: StalePolicy = after.stale;
  const changes: PolicyChange[] = [];
  for (const pr of prs) {
    if (pr.state !== 'OPEN') continue;
    const was = policyBlockers(pr, before, now);
    const will = policyBlockers(pr, after, now);
    const decision = decideStaleAction({ state: pr.state, lastActivityAt: pr.updatedOn, remindedAt: null }, stalePolicy, now);
    const stale = decision.action === 'none' ? null : decision.action;
    if (stale === null && was.join() === will.join()) continue;
    changes.push({ repository: pr.repository, id: pr.id, title: pr.title, before: was, after: will, stale, staleExecutes: decision.action !== 'none' && decision.execute });
  }
  return changes;
}
