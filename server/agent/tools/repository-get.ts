import { z } from 'zod';
import { defineTool } from './tool';
import { repoFields, toHtmlLink, toWorkspace } from './tool-inputs';

export const repositoryGet = defineTool({
  name: 'repository.get',
  description: 'Show one repository: name, main branch, visibility.',
  input: z.object(repoFields),
  scopes: ['repository'],
  actsAs: 'installation',
  risk: 'read',
  async run(ctx, input) {
    const repo = await ctx.client.repositories.get(toWorkspace(input, ctx.tenant), input.repo);
    return {
      summary: `${repo.full_name}: main branch ${repo.mainbranch?.name ?? '(none)'}, ${repo.is_private === false ? 'public' : 'private'}.`,
      links: toHtmlLink(repo.full_name, repo),
      data: { uuid: repo.uuid, fullName: repo.full_name, mainBranch: repo.mainbranch?.name ?? null, isPrivate: repo.is_private ?? null },
    };
  },
});
