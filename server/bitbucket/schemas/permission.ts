import { z } from 'zod';
import { accountSchema } from './common';
import { repositorySummarySchema } from './repository';

export const repositoryPermissionLevelSchema = z.enum(['read', 'write', 'admin', 'none']);
export type RepositoryPermissionLevel = z.infer<typeof repositoryPermissionLevelSchema>;

/** `GET /user/permissions/repositories` items: the caller's highest permission on each repository. */
export const repositoryPermissionSchema = z.looseObject({
  permission: repositoryPermissionLevelSchema,
  user: accountSchema.optional(),
  repository: repositorySummarySchema,
});
export type RepositoryPermission = z.infer<typeof repositoryPermissionSchema>;
