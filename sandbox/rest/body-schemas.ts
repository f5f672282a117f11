import { z } from 'zod';

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
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  draft: z.boolean().optional(),
});

export const mergeBody = z.looseObject({
  type: z.string().optional(),
  message: z.string().max(128 * 1024).optional(),
  close_source_branch: z.boolean().optional(),
  merge_strategy: z.enum(['merge_commit', 'squash', 'fast_forward', 'squash_fast_forward', 'rebase_fast_forward', 'rebase_merge']).optional(),
});

export const declineBody = z.looseObject({ reason: z.string().optional() }).optional();

export const commentBody = z.looseObject({ content: z.looseObject({ raw: z.string().min(1, 'content.raw: This field is required.') }) });

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
