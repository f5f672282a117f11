import { z } from 'zod';
import { accountSchema, linkSchema } from './common';

export const pullRequestCommentSchema = z.looseObject({
  id: z.number().int(),
  content: z.looseObject({ raw: z.string(), html: z.string().nullish() }),
  user: accountSchema.optional(),
  deleted: z.boolean().optional(),
  inline: z.looseObject({ path: z.string(), from: z.number().nullish(), to: z.number().nullish() }).nullish(),
  parent: z.looseObject({ id: z.number().int() }).nullish(),
  created_on: z.string().optional(),
  updated_on: z.string().nullish(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type PullRequestComment = z.infer<typeof pullRequestCommentSchema>;
