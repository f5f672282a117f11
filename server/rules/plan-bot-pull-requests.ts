import { isRestrictionForBranch } from './branch-matches';

export interface BotPullRequestRule {
  branches: string;
  target: string;
  title: string;
  description?: string | undefined;
  reviewers?: readonly string[] | undefined;
  draft?: boolean | undefined;
}

export interface BranchPush {
  branch: string;
  /** The branch was deleted by this push. */
  closed: boolean;
  repository: string;
  actorDisplayName: string;
  /** Message of the newest commit pushed, if known. */
  commitMessage?: string | undefined;
}

export type BotPullRequestPlan =
  | { action: 'open'; source: string; target: string; title: string; description: string; reviewers: string[]; draft: boolean; idempotencyKey: string }
  | { action: 'exists'; source: string; target: string; pullRequestId: number };

/** `{{name}}` placeholders; unknown names stay as written so a typo shows in the PR, not as a blank. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([a-zA-Z][\w.]*)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

/**
 * The PRs a push should open. One per rule whose pattern matches the pushed branch (first rule per
 * target wins); never a second PR for a source and target that already have an open one, and the
 * idempotency key names only the repository, source and target, so a redelivered push or two
 * workers racing end in the same single PR.
 */
export function planBotPullRequests(
  push: BranchPush,
  rules: readonly BotPullRequestRule[],
  openPullRequests: readonly { id: number; source: string; destination: string }[],
): BotPullRequestPlan[] {
  if (push.closed) return [];
  const plans: BotPullRequestPlan[] = [];
  const targets = new Set<string>();
  const vars = {
    branch: push.branch,
    'branch.name': push.branch.split('/').pop() ?? push.branch,
    repository: push.repository,
    author: push.actorDisplayName,
    commit: (push.commitMessage ?? '').split('\n')[0] ?? '',
  };
  for (const rule of rules) {
    if (rule.target === push.branch || targets.has(rule.target)) continue;
    if (!isRestrictionForBranch({ branch_match_kind: 'glob', pattern: rule.branches }, push.branch)) continue;
    targets.add(rule.target);
    const existing = openPullRequests.find((p) => p.source === push.branch && p.destination === rule.target);
    if (existing) {
      plans.push({ action: 'exists', source: push.branch, target: rule.target, pullRequestId: existing.id });
      continue;
    }
    plans.push({
      action: 'open',
      source: push.branch,
      target: rule.target,
      title: renderTemplate(rule.title, vars).slice(0, 255),
      description: renderTemplate(rule.description ?? '', vars),
      reviewers: [...(rule.reviewers ?? [])],
      draft: rule.draft ?? false,
      idempotencyKey: `bot-pr:${push.repository}:${push.branch}:${rule.target}`,
    });
  }
  return plans;
}
