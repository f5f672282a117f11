import { z } from 'zod';
import { accountSchema } from './common';

/**
 * Restriction kinds the spec lists. Reads keep `kind` an open string (Bitbucket adds kinds);
 * writes are typed with these.
 */
export const BRANCH_RESTRICTION_KINDS = [
  'push',
  'delete',
  'force',
  'restrict_merges',
  'require_tasks_to_be_completed',
  'require_approvals_to_merge',
  'require_review_group_approvals_to_merge',
  'require_default_reviewer_approvals_to_merge',
  'require_no_changes_requested',
  'require_passing_builds_to_merge',
  'require_commits_behind',
  'reset_pullrequest_approvals_on_change',
  'smart_reset_pullrequest_approvals',
  'reset_pullrequest_changes_requested_on_change',
  'require_all_dependencies_merged',
  'enforce_merge_checks',
  'allow_auto_merge_when_builds_pass',
  'require_all_comments_resolved',
] as const;
export type BranchRestrictionKind = (typeof BRANCH_RESTRICTION_KINDS)[number];
export type BranchMatchKind = 'glob' | 'branching_model';
export type BranchType = 'feature' | 'bugfix' | 'release' | 'hotfix' | 'development' | 'production';

/** `…/branch-restrictions[/{id}]`. `pattern` is empty for `branching_model` rules. */
export const branchRestrictionSchema = z.looseObject({
  id: z.number().int(),
  kind: z.string(),
  branch_match_kind: z.string().optional(),
  branch_type: z.string().nullish(),
  pattern: z.string().nullish(),
  value: z.number().int().nullish(),
  users: z.array(accountSchema).optional(),
  groups: z.array(z.looseObject({ slug: z.string().optional(), name: z.string().optional() })).optional(),
});
export type BranchRestriction = z.infer<typeof branchRestrictionSchema>;
