import { z } from 'zod';
import { isBitbucketFailure } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';

export const branchDelete = defineTool({
  name: 'branch.delete',
  description: "Delete a branch. Refuses the repository's main branch.",
  input: z.object({ ...repoFields, name: z.string().min(1).max(255).describe('Branch to delete') }),
  scopes: ['repository:write'],
  actsAs: 'installation',
  risk: 'destructive',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const repo = await ctx.client.repositories.get(workspace, input.repo);
    if (repo.mainbranch?.name === input.name) {
      throw new ToolError(`${input.name} is the main branch of ${repo.full_name}; Bosun does not delete it.`);
    }
    try {
      await ctx.client.branches.delete(workspace, input.repo, input.name);
    } catch (error) {
      // Safe to repeat: already gone is what was asked for.
      if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) {
        return { summary: `Branch ${input.name} does not exist in ${repo.full_name} (already deleted).`, links: [] };
      }
      throw error;
    }
    return { summary: `Deleted branch ${input.name} in ${toRepoName(input, ctx.tenant)}.`, links: [] };
  },
});
