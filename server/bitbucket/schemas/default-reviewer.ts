import { z } from 'zod';
import { accountSchema } from './common';

/**
 * `GET …/effective-default-reviewers` items: `reviewer_type` says where the reviewer comes from
 * (`repository` or `project` in Bitbucket's answers; the spec leaves it a free string).
 */
export const effectiveDefaultReviewerSchema = z.looseObject({
  reviewer_type: z.string(),
  user: accountSchema,
});
export type EffectiveDefaultReviewer = z.infer<typeof effectiveDefaultReviewerSchema>;
