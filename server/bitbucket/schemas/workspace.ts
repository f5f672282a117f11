import { z } from 'zod';
import { linkSchema } from './common';

export const workspaceSchema = z.looseObject({
  uuid: z.string(),
  slug: z.string(),
  name: z.string(),
  is_private: z.boolean().optional(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type Workspace = z.infer<typeof workspaceSchema>;
