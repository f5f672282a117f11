import { z } from 'zod';
import { defineTool } from './tool';

export const repositoryList = defineTool({
  name: 'repository.list',
  description: 'List repositories of the workspace, optionally filtered by a name fragment.',
  input: z.object({
    workspace: z.string().min(1).max(255).optional().describe("Workspace slug; defaults to the installation's workspace"),
    nameContains: z.string().min(1).max(100).optional().describe('Only repositories whose name contains this'),
    max: z.number().int().min(1).max(100).default(25),
  }),
  scopes: ['repository'],
  actsAs: 'installation',
  risk: 'read',
  async run(ctx, input) {
    const workspace = input.workspace ?? ctx.tenant.workspace;
    // BBQL string literal: escape backslashes and quotes.
    const q = input.nameContains ? `name ~ "${input.nameContains.replace(/["\\]/g, '\\$&')}"` : undefined;
    const repos = await ctx.client.repositories.list(workspace, { q, sort: 'name', max: input.max });
    const names = repos.map((r) => r.full_name);
    return {
      summary: repos.length === 0 ? `No repositories found in ${workspace}.` : `Found ${repos.length} repositories: ${names.join(', ')}.`,
      links: [],
      data: repos.map((r) => ({ uuid: r.uuid, fullName: r.full_name, slug: r.slug ?? null, mainBranch: r.mainbranch?.name ?? null })),
    };
  },
});
