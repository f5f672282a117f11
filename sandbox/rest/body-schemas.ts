import { z } from 'zod';
import { BRANCH_RESTRICTION_KINDS, BRANCH_TYPES } from '../state/types';

const userRef = z.looseObject({ uuid: z.string().optional(), account_id: z.string().optional(), nickname: z.string().optional(), username: z.string().optional() });

export const createPullRequestBody = z.looseObject({
  title: z.string().min(1, 'title: This field is required.'),
  description: z.string().optional(),
  source: z.looseObject({ branch: z.looseObject({ name: z.string().min(1) }) }),
  destination: z.looseObject({ branch: z.looseObject({ name: z.string().min(1) }) }).optional(),
  reviewers: z.array(userRef).optional(),
  draft: z.boolean().optional(),
  close_source_branch: z.boolean().optional(),
});

export const updatePullRequestBody = z.looseObject({
  title: z.string().min(1, 'title: This field may not be blank.').optional(),
  description: z.string().optional(),
  draft: z.boolean().optional(),
  destination: z.looseObject({ branch: z.looseObject({ name: z.string().min(1) }) }).optional(),
  reviewers: z.array(userRef).optional(),
  close_source_branch: z.boolean().optional(),
});

export const mergeBody = z.looseObject({
  type: z.string().optional(),
  message: z.string().max(128 * 1024).optional(),
  close_source_branch: z.boolean().optional(),
  merge_strategy: z.enum(['merge_commit', 'squash', 'fast_forward', 'squash_fast_forward', 'rebase_fast_forward', 'rebase_merge']).optional(),
});

export const declineBody = z.looseObject({ reason: z.string().optional() }).optional();

export const commentBody = z.looseObject({
  content: z.looseObject({ raw: z.string().min(1, 'content.raw: This field is required.') }),
  parent: z.looseObject({ id: z.number().int() }).optional(),
  inline: z.object({ path: z.string().min(1), from: z.number().int().min(1).optional(), to: z.number().int().min(1).optional() }).optional(),
});

export const taskCreateBody = z.object({
  content: z.object({ raw: z.string() }),
  comment: z.looseObject({ id: z.number().int() }).optional(),
  pending: z.boolean().optional(),
});

export const taskUpdateBody = z.object({
  content: z.object({ raw: z.string() }).optional(),
  state: z.enum(['RESOLVED', 'UNRESOLVED']).optional(),
});

export const repositoryBody = z.looseObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  is_private: z.boolean().optional(),
  language: z.string().optional(),
  scm: z.literal('git', 'scm: Only git is supported.').optional(),
  mainbranch: z.looseObject({ name: z.string().min(1) }).optional(),
  fork_policy: z.enum(['allow_forks', 'no_public_forks', 'no_forks']).optional(),
}).optional();

export const branchCreateBody = z.looseObject({
  name: z.string().min(1, 'name: This field is required.'),
  target: z.looseObject({ hash: z.string().min(1, 'target.hash: This field is required.') }),
});

const restrictionFields = {
  kind: z.enum(BRANCH_RESTRICTION_KINDS),
  branch_match_kind: z.enum(['glob', 'branching_model']),
  pattern: z.string().optional(),
  branch_type: z.enum(BRANCH_TYPES).optional(),
  value: z.number().int().nullable().optional(),
  users: z.array(userRef).optional(),
  groups: z.array(z.looseObject({ slug: z.string() })).optional(),
};
export const branchRestrictionBody = z.looseObject(restrictionFields);
export const branchRestrictionUpdateBody = z.looseObject(restrictionFields).partial();

/** webhook_subscription.events in openapi.json */
export const WEBHOOK_EVENTS = [
  'issue:comment_created', 'issue:created', 'issue:updated', 'pipeline:span_created', 'project:updated', 'pullrequest:approved',
  'pullrequest:changes_request_created', 'pullrequest:changes_request_removed', 'pullrequest:comment_created', 'pullrequest:comment_deleted',
  'pullrequest:comment_reopened', 'pullrequest:comment_resolved', 'pullrequest:comment_updated', 'pullrequest:created', 'pullrequest:fulfilled',
  'pullrequest:push', 'pullrequest:rejected', 'pullrequest:unapproved', 'pullrequest:updated', 'repo:commit_comment_created',
  'repo:commit_status_created', 'repo:commit_status_updated', 'repo:created', 'repo:deleted', 'repo:fork', 'repo:imported', 'repo:push',
  'repo:transfer', 'repo:updated',
] as const;

export const webhookBody = z.looseObject({
  url: z.url('url: Enter a valid URL.'),
  description: z.string().optional(),
  active: z.boolean().optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'events: At least one event is required.'),
  secret: z.string().max(128).nullable().optional(),
});
export const webhookUpdateBody = webhookBody.partial();

export const pipelineTriggerBody = z.looseObject({
  target: z.looseObject({
    type: z.string().optional(),
    ref_type: z.enum(['branch']).optional(),
    ref_name: z.string().min(1, 'target.ref_name: This field is required.'),
    commit: z.looseObject({ hash: z.string().min(7) }).optional(),
    selector: z.looseObject({ type: z.enum(['branches', 'default', 'custom']), pattern: z.string().optional() }).optional(),
  }),
  variables: z.array(z.looseObject({ key: z.string().min(1), value: z.string(), secured: z.boolean().optional() })).optional(),
});

export const commitStatusBody = z.looseObject({
  key: z.string().min(1).max(40),
  state: z.enum(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']),
  name: z.string().optional(),
  url: z.string().optional(),
  description: z.string().optional(),
  refname: z.string().optional(),
});

export const commitStatusUpdateBody = commitStatusBody.partial();

export function toUserRefString(ref: z.infer<typeof userRef>): string {
  return ref.uuid ?? ref.account_id ?? ref.nickname ?? ref.username ?? '';
}
