import type { EffectivePolicy } from '../../policies';
import { planBotPullRequests, type BranchPush } from '../../rules';
import { toRulePlan, type RulePlan } from './rules-plan';

/**
 * Bot PRs for a pushed branch: one `pullRequest.open` per matching rule, never for a source and
 * target that already have an open PR; the key names only repository, source and target, so a
 * redelivered push or two workers racing open one PR (the executor runs a key once).
 */
export function planPushRules(
  push: BranchPush & { workspace: string; repo: string; repositoryUuid: string },
  policy: EffectivePolicy,
  openPullRequests: readonly { id: number; source: string; destination: string }[],
): RulePlan[] {
  const mode = policy.botPullRequests.mode;
  if (mode === 'off') return [];
  const target = { workspace: push.workspace, repo: push.repo };
  return planBotPullRequests(push, policy.botPullRequests.rules, openPullRequests).flatMap((p): RulePlan[] => {
    if (p.action === 'exists') return [];
    const input = {
      ...target,
      source: p.source,
      destination: p.target,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      ...(p.reviewers.length > 0 ? { reviewers: p.reviewers.filter((r) => !r.startsWith('group:')).concat(p.reviewers.filter((r) => r.startsWith('group:')).flatMap((g) => policy.groups[g.slice(6)] ?? [])) } : {}),
      ...(p.draft ? { draft: true } : {}),
    };
    return [
      toRulePlan({
        rule: 'botPullRequests',
        mode,
        key: `rules:${push.repositoryUuid}:bot-pr:${p.source}:${p.target}`,
        summary: `Open a pull request from ${p.source} to ${p.target} by the bot PR rule`,
        steps: [{ tool: 'pullRequest.open', input }],
        wouldDo: [`open "${p.title}" from ${p.source} to ${p.target}`],
        target,
      }),
    ];
  });
}
