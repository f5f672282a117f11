import { z } from 'zod';
import { accountSchema } from './common';
import { pullRequestCommentSchema } from './comment';

const dateAndUserSchema = z.looseObject({ date: z.string().nullish(), user: accountSchema.nullish() });

/**
 * One entry of `GET …/pullrequests/{id}/activity` (the spec gives no schema): exactly one of
 * `update`, `approval`, `changes_requested` or `comment` is set, as in the spec's examples.
 */
export const pullRequestActivitySchema = z.looseObject({
  pull_request: z.looseObject({ id: z.number().int().optional(), title: z.string().optional() }).optional(),
  update: z
    .looseObject({
      state: z.string().nullish(),
      title: z.string().nullish(),
      date: z.string().nullish(),
      author: accountSchema.nullish(),
    })
    .optional(),
  approval: dateAndUserSchema.optional(),
  changes_requested: dateAndUserSchema.optional(),
  comment: pullRequestCommentSchema.optional(),
});
export type PullRequestActivity = z.infer<typeof pullRequestActivitySchema>;

/** One file of a diffstat; `old` is null for an added file, `new` for a removed one. */
export const diffstatSchema = z.looseObject({
  status: z.string(),
  lines_added: z.number().int().nullish(),
  lines_removed: z.number().int().nullish(),
  old: z.looseObject({ path: z.string() }).nullish(),
  new: z.looseObject({ path: z.string() }).nullish(),
});
export type Diffstat = z.infer<typeof diffstatSchema>;

export const pullRequestTaskStateSchema = z.enum(['RESOLVED', 'UNRESOLVED']);
export type PullRequestTaskState = z.infer<typeof pullRequestTaskStateSchema>;

/** `…/pullrequests/{id}/tasks` items (`pullrequest_comment_task`). */
export const pullRequestTaskSchema = z.looseObject({
  id: z.number().int(),
  state: pullRequestTaskStateSchema,
  content: z.looseObject({ raw: z.string() }),
  creator: accountSchema.optional(),
  pending: z.boolean().optional(),
  comment: z.looseObject({ id: z.number().int() }).nullish(),
  created_on: z.string().optional(),
  updated_on: z.string().optional(),
  resolved_on: z.string().nullish(),
  resolved_by: accountSchema.nullish(),
});
export type PullRequestTask = z.infer<typeof pullRequestTaskSchema>;
