import { z } from 'zod';
import { accountSchema, linkSchema } from './common';

export const workspaceSchema = z.looseObject({
  uuid: z.string(),
  slug: z.string(),
  name: z.string(),
  is_private: z.boolean().optional(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

/**
 * `GET /workspaces/{workspace}/members[/{member}]`, `/workspaces/{workspace}/permissions` and
 * `/user/permissions/workspaces` items. The spec's `workspace_membership` has no `permission`,
 * but the permissions lists send it (owner|collaborator|member).
 */
export const workspaceMembershipSchema = z.looseObject({
  permission: z.string().optional(),
  user: accountSchema.optional(),
  workspace: z.looseObject({ uuid: z.string().optional(), slug: z.string().optional(), name: z.string().optional() }).optional(),
  last_accessed: z.string().nullish(),
  added_on: z.string().nullish(),
});
export type WorkspaceMembership = z.infer<typeof workspaceMembershipSchema>;
