import type { RepositoryTemplate } from './repository-template';
import type { TemplateBinding } from './repository-template-store';

/**
 * Reading a repository's settings: the repository, its branch restrictions, default reviewers,
 * webhooks, Pipelines configuration and main branch (agent/tools/load-repository-settings.ts),
 * plus the executor's write-access check of the person who asked.
 */
export const SETTINGS_READ_REQUESTS = 7;

/**
 * Bitbucket requests one repository's apply may make: the reads, then one write per change. What a
 * last check found pending is exact; without one, every managed setting counts (an upper bound), so
 * a bulk apply reserves enough of the hour before it starts a repository.
 */
export function estimateApplyCost(template: RepositoryTemplate, binding: TemplateBinding | null): number {
  if (binding && binding.template === template.name) return SETTINGS_READ_REQUESTS + binding.pending.length;
  const s = template.settings;
  const scalars = [s.isPrivate, s.mainBranch, s.description, s.pipelinesEnabled].filter((v) => v !== undefined).length;
  return SETTINGS_READ_REQUESTS + scalars + (s.branchRestrictions?.length ?? 0) + (s.defaultReviewers?.length ?? 0) + (s.webhooks?.length ?? 0);
}
