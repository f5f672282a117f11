import { z } from 'zod';
import { accountSchema, linkSchema } from './common';
import { repositorySummarySchema } from './repository';

export const pullRequestStateSchema = z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);
export type PullRequestState = z.infer<typeof pullRequestStateSchema>;

/** Source or destination. `commit.hash` is the 12-char short hash here; `commit` is null for a deleted branch. */
export const pullRequestEndpointSchema = z.looseObject({
  branch: z.looseObject({ name: z.string() }),
  commit: z.looseObject({ hash: z.string() }).nullish(),
  repository: repositorySummarySchema.nullish(),
});
export type PullRequestEndpoint = z.infer<typeof pullRequestEndpointSchema>;

/** `state` is absent in captures older than the request-changes feature (2018). */
export const participantSchema = z.looseObject({
  user: accountSchema,
  role: z.enum(['PARTICIPANT', 'REVIEWER']),
  approved: z.boolean(),
  state: z.enum(['approved', 'changes_requested']).nullish(),
  participated_on: z.string().nullish(),
});
export type Participant = z.infer<typeof participantSchema>;

export const pullRequestSchema = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  state: pullRequestStateSchema,
  draft: z.boolean().optional(),
  author: accountSchema.optional(),
  source: pullRequestEndpointSchema,
  destination: pullRequestEndpointSchema,
  reviewers: z.array(accountSchema).optional(),
  participants: z.array(participantSchema).optional(),
  merge_commit: z.looseObject({ hash: z.string() }).nullish(),
  close_source_branch: z.boolean().optional(),
  comment_count: z.number().optional(),
  task_count: z.number().optional(),
  created_on: z.string().optional(),
  updated_on: z.string().optional(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;
