import { z } from 'zod';
import { isBitbucketFailure } from '../../bitbucket';
import { defineTool } from './tool';
import { toHtmlLink, toWorkspace } from './tool-inputs';

export const repositoryCreate = defineTool({
  name: 'repository.create',
  description: 'Create a new git repository in the workspace (private unless told otherwise).',
  input: z.object({
    workspace: z.string().min(1).max(255).optional().describe("Workspace slug; defaults to the installation's workspace"),
    repo: z
      .string()
      .min(1)
      .max(62)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case slug (letters, digits, . _ -)')
      .describe('Slug of the new repository'),
    description: z.string().max(1000).optional(),
    isPrivate: z.boolean().default(true),
    projectKey: z.string().min(1).max(64).optional().describe("Project key; defaults to the workspace's oldest project"),
  }),
  scopes: ['repository:admin'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    // Safe to repeat: an existing repository is reported, not recreated.
    const existing = await ctx.client.repositories.get(workspace, input.repo).catch((error: unknown) => {
      if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
      throw error;
    });
    if (existing) {
      return {
        summary: `Repository ${existing.full_name} already exists; nothing created.`,
        links: toHtmlLink(existing.full_name, existing),
        data: { uuid: existing.uuid, created: false },
      };
    }
    const repo = await ctx.client.repositories.create(workspace, input.repo, {
      scm: 'git',
      is_private: input.isPrivate,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.projectKey !== undefined ? { project: { key: input.projectKey } } : {}),
    });
    return { summary: `Created repository ${repo.full_name}.`, links: toHtmlLink(repo.full_name, repo), data: { uuid: repo.uuid, created: true } };
  },
});
