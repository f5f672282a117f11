import { z } from 'zod';

const account = z.object({ uuid: z.string().optional(), display_name: z.string().optional() });

/**
 * Only the fields of Bitbucket's pull request that readiness reads. Parsing a mirrored PR with
 * this instead of the full schema is several times faster (no links, repositories or summaries to
 * copy), which is what lets thousands of PRs be judged at once. Unknown keys are dropped.
 */
export const readinessPullRequestSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean().optional(),
  author: account.optional(),
  task_count: z.number().optional(),
  source: z.object({ branch: z.object({ name: z.string() }), commit: z.object({ hash: z.string() }).nullish() }),
  destination: z.object({ branch: z.object({ name: z.string() }) }),
  participants: z.array(z.object({ user: account, approved: z.boolean(), state: z.enum(['approved', 'changes_requested']).nullish() })).optional(),
});
export type ReadinessPullRequest = z.infer<typeof readinessPullRequestSchema>;
