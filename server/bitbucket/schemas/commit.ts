import { z } from 'zod';
import { accountSchema, linkSchema } from './common';

/** A commit from `…/commits`, `…/commit/{commit}` and `…/pullrequests/{id}/commits` (full 40-char hash). */
export const commitSchema = z.looseObject({
  hash: z.string(),
  date: z.string().nullish(),
  message: z.string().nullish(),
  author: z.looseObject({ raw: z.string().nullish(), user: accountSchema.nullish() }).nullish(),
  parents: z.array(z.looseObject({ hash: z.string() })).optional(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type Commit = z.infer<typeof commitSchema>;
