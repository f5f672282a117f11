import { z } from 'zod';
import { pullRequestSchema } from './pull-request';

/**
 * `GET …/merge/task-status/{task_id}`: PENDING until the merge is done, then SUCCESS with the
 * merged PR in `merge_result`. The spec documents it only in prose, so `task_status` stays a string.
 */
export const mergeTaskStatusSchema = z.looseObject({
  task_status: z.string(),
  merge_result: pullRequestSchema.nullish(),
});
export type MergeTaskStatus = z.infer<typeof mergeTaskStatusSchema>;
