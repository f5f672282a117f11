import type { RuleKind } from '../planner/rules-plan';

/** One rule's answer for a PR: what it would do now, in the mode the policy gives it. */
export interface RulePreviewEntry {
  rule: RuleKind;
  /** `on`: running the rules does it; `dry-run`: running them only records it. */
  mode: 'on' | 'dry-run';
  wouldDo: string[];
}

export interface PullRequestRulesPreview {
  entries: RulePreviewEntry[];
}

/**
 * The automation rules as the agent's tools reach them (declared here, implemented at the
 * composition root over the rules' facts source and the job queue). A preview plans and writes
 * nothing (it does not take a round-robin turn); a run queues the rules' own job, whose plans go
 * through the executor as the rules, each in its mode, with their audit entries.
 */
export interface PullRequestRulesPort {
  /** null: the PR is not open (no rule acts on it). */
  preview(clientKey: string, ref: { repositoryUuid: string; pullRequestId: number }): Promise<PullRequestRulesPreview | null>;
  /** `dedupeKey`: the same key queues one job (a retried step does not queue twice). */
  run(clientKey: string, ref: { repositoryUuid: string; pullRequestId: number }, dedupeKey: string | null): Promise<{ queued: boolean }>;
}
