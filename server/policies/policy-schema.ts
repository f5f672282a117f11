import { z } from 'zod';

/** Every rule starts in dry-run: it records what it would do and acts only once switched `on`. */
export const ruleModeSchema = z.enum(['off', 'dry-run', 'on']);
export type RuleMode = z.infer<typeof ruleModeSchema>;

export const RULE_NAMES = ['readiness', 'reviewers', 'botPullRequests', 'stale', 'description', 'buildFailures'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

const glob = z.string().min(1).max(200);
const branchName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[^\s~^:?*[\\]+(?<![/.])$/, 'must be a valid git branch name');
const userUuid = z.string().regex(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i, 'must be a user {uuid}');
const groupSlug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a group slug (a-z, 0-9, - and _)');
/** A reviewer: a user `{uuid}` or `group:<slug>` naming a group of this policy. */
export const principalSchema = z.union([userUuid, z.string().regex(/^group:[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a user {uuid} or group:<slug>')]);
const isoInstant = z.iso.datetime({ offset: true });
const regexSource = z
  .string()
  .min(1)
  .max(500)
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');
const template = z.string().min(1).max(4000);

const freezeWindowSchema = z
  .strictObject({ start: isoInstant, end: isoInstant, branches: z.array(glob).max(50).optional(), reason: z.string().max(200).optional() })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'end must be after start', path: ['end'] });

const readinessSection = z.strictObject({
  mode: ruleModeSchema.optional(),
  titlePattern: regexSource.optional(),
  allowedTargetBranches: z.array(glob).min(1).max(50).optional(),
  freezeWindows: z.array(freezeWindowSchema).max(50).optional(),
  requireBuilds: z.boolean().optional(),
});

const ownerRuleSchema = z.strictObject({
  paths: z.array(glob).min(1).max(50),
  reviewers: z.array(principalSchema).min(1).max(50),
});

const reviewersSection = z.strictObject({
  mode: ruleModeSchema.optional(),
  strategy: z.enum(['round-robin', 'least-loaded']).optional(),
  /** How many people to pick from each matching group. */
  perGroup: z.number().int().min(1).max(10).optional(),
  maxOpenReviewsPerPerson: z.number().int().min(1).max(100).optional(),
  includeDefaultReviewers: z.boolean().optional(),
  owners: z.array(ownerRuleSchema).max(200).optional(),
  /** Also assign when a PR is updated (new commits can touch other owners' paths); default: on creation only. */
  onUpdate: z.boolean().optional(),
});

const botRuleSchema = z.strictObject({
  branches: glob,
  target: branchName,
  title: template,
  description: template.optional(),
  reviewers: z.array(principalSchema).max(50).optional(),
  draft: z.boolean().optional(),
});

const botPullRequestsSection = z.strictObject({ mode: ruleModeSchema.optional(), rules: z.array(botRuleSchema).max(50).optional() });

const staleSection = z.strictObject({
  mode: ruleModeSchema.optional(),
  remindAfterDays: z.number().int().min(1).max(365).optional(),
  /** Days after the reminder before a decline (when `decline` is on). */
  declineAfterDays: z.number().int().min(1).max(365).optional(),
  decline: z.boolean().optional(),
});

const descriptionSection = z.strictObject({
  mode: ruleModeSchema.optional(),
  requiredSections: z.array(z.string().min(1).max(200)).max(20).optional(),
  minLength: z.number().int().min(0).max(10000).optional(),
});

/** One sticky PR comment listing the head commit's failed builds, edited on the next failure, marked resolved once none fails. */
const buildFailuresSection = z.strictObject({ mode: ruleModeSchema.optional() });

/** The merge queue's strategies a policy may name. */
export const QUEUE_POLICY_STRATEGIES = ['merge_commit', 'fast_forward'] as const;
export type QueuePolicyStrategy = (typeof QUEUE_POLICY_STRATEGIES)[number];

/** Merge via queue: "merge when green" on a PR into one of these branches queues it instead of merging it. */
const mergeQueueSection = z.strictObject({
  branches: z.array(glob).max(50).optional(),
  /** Who may queue in each lane ahead of the default one (user {uuid} or group:<slug>); workspace admins always may. */
  lanes: z.record(z.string().regex(/^[\w.-]{1,64}$/, 'must be a lane name (letters, digits, . _ -)'), z.array(principalSchema).max(200)).optional(),
  /**
   * How the queue adds each PR to a batch (the batch then lands by fast-forward). No squash: Bitbucket
   * marks a PR merged only when its own commits reach the target (docs/merge-queue.md).
   */
  strategy: z.enum(QUEUE_POLICY_STRATEGIES, {
    error: (issue) => issue.input === 'squash'
      ? 'squash is not possible through the merge queue: Bitbucket marks a pull request merged only when its own commits reach the target, and a squash makes new ones (docs/merge-queue.md); use merge_commit or fast_forward'
      : 'must be merge_commit or fast_forward',
  }).optional(),
  /** Delete each landed PR's source branch (true) or keep it (false); absent: as each PR asks (its close_source_branch). */
  closeSourceBranch: z.boolean().optional(),
});

/** One layer (workspace defaults, a repository's override, or a bosun.yml): every field optional, unknown keys refused. */
export const policyLayerSchema = z.strictObject({
  version: z.literal(1).optional(),
  groups: z.record(groupSlug, z.array(userUuid).max(200)).optional(),
  readiness: readinessSection.optional(),
  reviewers: reviewersSection.optional(),
  botPullRequests: botPullRequestsSection.optional(),
  stale: staleSection.optional(),
  description: descriptionSection.optional(),
  mergeQueue: mergeQueueSection.optional(),
  buildFailures: buildFailuresSection.optional(),
});
export type PolicyLayer = z.infer<typeof policyLayerSchema>;

export type OwnerRule = z.infer<typeof ownerRuleSchema>;
export type BotRule = z.infer<typeof botRuleSchema>;
export type FreezeWindowPolicy = z.infer<typeof freezeWindowSchema>;

/** The policy in force for one repository (and destination branch, when a bosun.yml was read). */
export interface EffectivePolicy {
  groups: Record<string, string[]>;
  readiness: {
    mode: RuleMode;
    titlePattern?: string | undefined;
    allowedTargetBranches?: string[] | undefined;
    freezeWindows: FreezeWindowPolicy[];
    requireBuilds: boolean;
  };
  reviewers: {
    mode: RuleMode;
    strategy: 'round-robin' | 'least-loaded';
    perGroup: number;
    maxOpenReviewsPerPerson: number;
    includeDefaultReviewers: boolean;
    owners: OwnerRule[];
    onUpdate: boolean;
  };
  botPullRequests: { mode: RuleMode; rules: BotRule[] };
  stale: { mode: RuleMode; remindAfterDays: number; declineAfterDays: number; decline: boolean };
  description: { mode: RuleMode; requiredSections: string[]; minLength: number };
  /** Destination branches (globs) whose PRs merge through the merge queue; empty: merged directly. */
  /** strategy: how the queue merges each PR into its batch; closeSourceBranch undefined: as each PR asks. */
  mergeQueue: { branches: string[]; lanes: Record<string, string[]>; strategy: QueuePolicyStrategy; closeSourceBranch?: boolean | undefined };
  /** The sticky failed-builds comment on PRs. */
  buildFailures: { mode: RuleMode };
}

export const DEFAULT_POLICY: EffectivePolicy = {
  groups: {},
  readiness: { mode: 'dry-run', freezeWindows: [], requireBuilds: true },
  reviewers: { mode: 'dry-run', strategy: 'least-loaded', perGroup: 1, maxOpenReviewsPerPerson: 5, includeDefaultReviewers: true, owners: [], onUpdate: false },
  botPullRequests: { mode: 'dry-run', rules: [] },
  stale: { mode: 'dry-run', remindAfterDays: 7, declineAfterDays: 7, decline: false },
  description: { mode: 'dry-run', requiredSections: [], minLength: 0 },
  mergeQueue: { branches: [], lanes: {}, strategy: 'merge_commit' },
  buildFailures: { mode: 'dry-run' },
};
