import type { EffectivePolicy } from '../../policies';
import type { BranchPush } from '../../rules';
import type { PullRequestRuleFacts } from './rules-pull-request-planner';
import type { StalePullRequestFacts } from './rules-stale-planner';

export interface PushRuleFacts {
  push: BranchPush & { workspace: string; repo: string; repositoryUuid: string };
  policy: EffectivePolicy;
  openPullRequests: { id: number; source: string; destination: string }[];
}

/**
 * Where the rules' facts come from (implemented at the composition root: the policy store, the
 * destination branch's bosun.yml, the mirror and Bitbucket). The planners stay pure over them.
 */
export interface RuleFactsSource {
  /** null: the PR or repository is gone, nothing to do. */
  loadPullRequest(clientKey: string, ref: { repositoryUuid: string; pullRequestId: number; event: PullRequestRuleFacts['event'] }): Promise<PullRequestRuleFacts | null>;
  /** One entry per branch the stored push delivery updated (deleted branches excluded). */
  loadPush(clientKey: string, requestUuid: string): Promise<PushRuleFacts[]>;
  /** Open PRs with their stale facts and each repository's policy (the stale rule's scheduled pass). */
  listStaleCandidates(clientKey: string): Promise<{ pullRequest: StalePullRequestFacts; policy: EffectivePolicy }[]>;
}
