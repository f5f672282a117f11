import { z } from 'zod';
import { NotFoundError, type BitbucketClient } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { branchName, repoFields, toRepoName, toWorkspace } from './tool-inputs';

async function resolveCommit(client: BitbucketClient, workspace: string, repo: string, from: string): Promise<string> {
  try {
    const branch = await client.branches.get(workspace, repo, from);
    if (branch.target?.hash) return branch.target.hash;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  if (/^[0-9a-f]{7,40}$/i.test(from)) {
    try {
      return (await client.commits.get(workspace, repo, from)).hash;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  throw new ToolError(`There is no branch or commit "${from}" in ${workspace}/${repo}.`);
}

export const branchCreate = defineTool({
  name: 'branch.create',
  description: 'Create a branch from another branch or a commit hash.',
  input: z.object({
    ...repoFields,
    name: branchName.describe('Name of the new branch'),
    from: z.string().min(1).max(255).describe('Branch name or commit hash to start from'),
  }),
  scopes: ['repository:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const hash = await resolveCommit(ctx.client, workspace, input.repo, input.from);
    const existing = await ctx.client.branches.get(workspace, input.repo, input.name).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (existing) {
      // Safe to repeat: the same branch at the same commit is success.
      if (existing.target?.hash === hash) {
        return { summary: `Branch ${input.name} already exists at ${hash.slice(0, 12)}.`, links: [], data: { name: input.name, hash } };
      }
      throw new ToolError(`Branch ${input.name} already exists in ${toRepoName(input, ctx.tenant)} at another commit.`);
    }
    const branch = await ctx.client.branches.create(workspace, input.repo, { name: input.name, target: { hash } });
    return {
      summary: `Created branch ${branch.name} from ${input.from} in ${toRepoName(input, ctx.tenant)}.`,
      links: [],
      data: { name: branch.name, hash: branch.target?.hash ?? hash },
    };
  },
});
