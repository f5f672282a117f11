import { z } from 'zod';
import { linkSchema } from './common';

/** A repository as embedded in PR endpoints: Bitbucket sends only a summary there. */
export const repositorySummarySchema = z.looseObject({
  uuid: z.string().optional(),
  full_name: z.string().optional(),
  name: z.string().optional(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type RepositorySummary = z.infer<typeof repositorySummarySchema>;

/** `GET /2.0/repositories/{workspace}/{repo_slug}` and list items. */
export const repositorySchema = z.looseObject({
  uuid: z.string(),
  full_name: z.string(),
  name: z.string(),
  slug: z.string().optional(),
  is_private: z.boolean().optional(),
  description: z.string().nullish(),
  updated_on: z.string().nullish(),
  mainbranch: z.looseObject({ name: z.string() }).nullish(),
  workspace: z.looseObject({ uuid: z.string().optional(), slug: z.string().optional() }).optional(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type Repository = z.infer<typeof repositorySchema>;
