import { z } from 'zod';

export const mergeStrategySchema = z.enum([
  'merge_commit',
  'squash',
  'fast_forward',
  'squash_fast_forward',
  'rebase_fast_forward',
  'rebase_merge',
]);
export type MergeStrategy = z.infer<typeof mergeStrategySchema>;

/** `GET …/refs/branches` items. Strategies stay strings: new ones must not break reads. */
export const branchSchema = z.looseObject({
  name: z.string(),
  target: z.looseObject({ hash: z.string(), date: z.string().nullish() }).optional(),
  merge_strategies: z.array(z.string()).optional(),
  default_merge_strategy: z.string().nullish(),
});
export type Branch = z.infer<typeof branchSchema>;
