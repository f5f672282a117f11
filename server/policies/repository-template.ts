import { z } from 'zod';

/**
 * A repository template: a named set of repository settings an admin keeps every repository of a
 * kind on. Every setting is optional and an absent one is "not managed": the template neither
 * checks nor changes it (renovate's tri-state matchers). Lists (branch restrictions, default
 * reviewers, webhooks) are additive: what the template names must be there, anything else a
 * repository has is left alone.
 */

/** Kinds a template may set; the values Bitbucket accepts on `POST …/branch-restrictions`. */
export const TEMPLATE_RESTRICTION_KINDS = [
  'push',
  'delete',
  'force',
  'restrict_merges',
  'require_tasks_to_be_completed',
  'require_approvals_to_merge',
  'require_default_reviewer_approvals_to_merge',
  'require_no_changes_requested',
  'require_passing_builds_to_merge',
  'require_commits_behind',
  'reset_pullrequest_approvals_on_change',
  'require_all_comments_resolved',
  'enforce_merge_checks',
] as const;
export type TemplateRestrictionKind = (typeof TEMPLATE_RESTRICTION_KINDS)[number];

/** Kinds that carry a number (`value`): approvals, builds, commits behind. */
export const VALUED_RESTRICTION_KINDS: ReadonlySet<TemplateRestrictionKind> = new Set([
  'require_approvals_to_merge',
  'require_default_reviewer_approvals_to_merge',
  'require_passing_builds_to_merge',
  'require_commits_behind',
]);

/** The strategies the spec lists for a branch (`branch.merge_strategies`). */
export const MERGE_STRATEGIES = ['merge_commit', 'squash', 'fast_forward', 'squash_fast_forward', 'rebase_fast_forward', 'rebase_merge'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

const branchName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[^\s~^:?*[\\]+(?<![/.])$/, 'must be a valid git branch name');
const branchGlob = z.string().min(1).max(200).regex(/^\S+$/, 'must be a branch name or glob without spaces');
const userUuid = z.string().regex(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i, 'must be a user {uuid}');
const eventKey = z.string().regex(/^[a-z_]+:[a-z_]+$/, 'must be an event key such as pullrequest:fulfilled');

export const templateRestrictionSchema = z
  .strictObject({
    kind: z.enum(TEMPLATE_RESTRICTION_KINDS),
    /** Branch name or glob, e.g. `main` or `release/*`. */
    pattern: branchGlob,
    value: z.number().int().min(0).max(100).optional(),
    /** Users exempt from push / restrict_merges, by `{uuid}`. */
    users: z.array(userUuid).max(50).optional(),
    /** Groups exempt from push / restrict_merges, by slug. */
    groups: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a group slug')).max(50).optional(),
  })
  .refine((r) => VALUED_RESTRICTION_KINDS.has(r.kind) === (r.value !== undefined), {
    message: 'value is required for approval, build and commits-behind kinds, and only for them',
    path: ['value'],
  });
export type TemplateRestriction = z.infer<typeof templateRestrictionSchema>;

export const templateWebhookSchema = z.strictObject({
  description: z.string().min(1).max(255),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(eventKey).min(1).max(50),
  active: z.boolean().default(true),
});
export type TemplateWebhook = z.infer<typeof templateWebhookSchema>;

export const templateSettingsSchema = z.strictObject({
  isPrivate: z.boolean().optional(),
  mainBranch: branchName.optional(),
  description: z.string().max(1000).optional(),
  /** README.md for repositories created from the template, committed on the main branch (`POST …/src`) before the settings. */
  readme: z.string().max(20_000).optional(),
  branchRestrictions: z.array(templateRestrictionSchema).max(100).optional(),
  mergeStrategies: z
    .strictObject({ allowed: z.array(z.enum(MERGE_STRATEGIES)).min(1).max(6), default: z.enum(MERGE_STRATEGIES) })
    .refine((m) => m.allowed.includes(m.default), { message: 'default must be one of the allowed strategies', path: ['default'] })
    .optional(),
  defaultReviewers: z.array(userUuid).max(50).optional(),
  webhooks: z.array(templateWebhookSchema).max(20).optional(),
  pipelinesEnabled: z.boolean().optional(),
});
export type TemplateSettings = z.infer<typeof templateSettingsSchema>;

export const templateNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lower-case name (a-z, 0-9 and -)');

export const repositoryTemplateSchema = z
  .strictObject({
    name: templateNameSchema,
    /** What the template is for, shown to admins choosing one. */
    summary: z.string().max(500).default(''),
    settings: templateSettingsSchema,
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    for (const [i, r] of (t.settings.branchRestrictions ?? []).entries()) {
      const key = `${r.kind}\u0000${r.pattern}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `${r.kind} on ${r.pattern} is listed twice`, path: ['settings', 'branchRestrictions', i] });
      seen.add(key);
    }
    const urls = new Set<string>();
    for (const [i, w] of (t.settings.webhooks ?? []).entries()) {
      if (urls.has(w.url)) ctx.addIssue({ code: 'custom', message: `${w.url} is listed twice`, path: ['settings', 'webhooks', i] });
      urls.add(w.url);
    }
  });
export type RepositoryTemplate = z.infer<typeof repositoryTemplateSchema>;
export type RepositoryTemplateInput = z.input<typeof repositoryTemplateSchema>;

/** What each setting does, for the editor (one sentence per setting, in the editor's order). */
export const TEMPLATE_SETTING_HELP: Readonly<Record<keyof TemplateSettings, string>> = {
  isPrivate: 'Private repositories are visible only to people given access; public ones to anyone on the internet.',
  mainBranch: 'The branch pull requests target by default and that Pipelines and branch restrictions usually protect.',
  description: 'The one-line description shown on the repository overview.',
  readme: 'README.md for repositories created from this template: Bosun commits it on the main branch right after creating the repository. A README someone has already worked on is never replaced, and applying the template to existing repositories leaves their README alone.',
  branchRestrictions:
    'Rules Bitbucket enforces per branch or glob: who may push or merge, minimum approvals, passing builds, resolved tasks. Rules the repository has beyond these are left alone.',
  mergeStrategies:
    'Which merge strategies pull requests into the main branch may use, and the default. Bitbucket has no API to change them: Bosun reports drift and links the settings page.',
  defaultReviewers: 'People added as reviewers to every new pull request. Reviewers the repository has beyond these are left alone.',
  webhooks: 'Endpoints Bitbucket notifies on the events listed, matched by URL. Other webhooks are left alone.',
  pipelinesEnabled: 'Whether Bitbucket Pipelines runs the repository’s bitbucket-pipelines.yml.',
};
