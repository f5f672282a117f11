import { z } from 'zod';
import { isBitbucketFailure } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { branchName, repoFields, toRepoName, toWorkspace } from './tool-inputs';

/**
 * `branch.deleteMany`: deletes the branches selected from a hygiene list. Destructive, so the
 * executor asks for confirmation and the audit entry names every branch. Safe to repeat: a
 * branch already gone counts as deleted. Refuses the main branch.
 */
export const branchDeleteMany = defineTool({
  name: 'branch.deleteMany',
  description: "Delete several branches of a repository at once (merged or stale ones). Refuses the repository's main branch.",
  input: z.object({ ...repoFields, names: z.array(branchName).min(1).max(100).describe('Branches to delete') }),
  scopes: ['repository:write'],
  actsAs: 'installation',
  risk: 'destructive',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const repo = await ctx.client.repositories.get(workspace, input.repo);
    const main = repo.mainbranch?.name;
    if (main && input.names.includes(main)) throw new ToolError(`${main} is the main branch of ${repo.full_name}; Bosun does not delete it.`);
    const deleted: string[] = [];
    const gone: string[] = [];
    for (const name of [...new Set(input.names)]) {
      try {
        await ctx.client.branches.delete(workspace, input.repo, name);
        deleted.push(name);
      } catch (error) {
        if (!isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) throw error;
        gone.push(name);
      }
    }
    return {
      summary: `Deleted ${deleted.length} branch${deleted.length === 1 ? '' : 'es'} in ${toRepoName(input, ctx.tenant)}${deleted.length > 0 ? `: ${deleted.join(', ')}` : ''}${gone.length > 0 ? ` (already gone: ${gone.join(', ')})` : ''}.`,
      links: [],
      data: { deleted, alreadyGone: gone },
    };
  },
});
