import { z } from 'zod';
import { isBitbucketFailure, type BitbucketClient } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { branchName, repoFields, toRepoName, toWorkspace } from './tool-inputs';

async function resolveCommit(client: BitbucketClient, workspace: string, repo: string, from: string): Promise<string> {
  try {
    const branch = await client.branches.get(workspace, repo, from);
    if (branch.target?.hash) return branch.target.hash;
  } catch (error) {
    if (!isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) throw error;
  }
  if (/^[0-9a-f]{7,40}$/i.test(from)) {
    try {
      return (await client.commits.get(workspace, repo, from)).hash;
    } catch (error) {
      if (!isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) throw error;
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
    const created = (name: string, at: string) => ({
      summary: `Created branch ${name} from ${input.from} in ${toRepoName(input, ctx.tenant)}.`,
      links: [],
      data: { name, hash: at },
    });
    // Safe to repeat: the same branch at the same commit is success. A step that may already have
    // run looks first; a first run creates straight away and looks only when Bitbucket refuses.
    const settle = async (): Promise<{ summary: string; links: never[]; data: { name: string; hash: string } } | null> => {
      const existing = await ctx.client.branches.get(workspace, input.repo, input.name).catch((error: unknown) => {
        if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
        throw error;
      });
      if (!existing) return null;
      if (existing.target?.hash !== hash) throw new ToolError(`Branch ${input.name} already exists in ${toRepoName(input, ctx.tenant)} at another commit.`);
      if (ctx.step?.mayBeApplied) return created(input.name, hash);
      return { summary: `Branch ${input.name} already exists at ${hash.slice(0, 12)}.`, links: [], data: { name: input.name, hash } };
    };
    if (ctx.step?.mayBeApplied !== false) {
      const done = await settle();
      if (done) return done;
    }
    try {
      const branch = await ctx.client.branches.create(workspace, input.repo, { name: input.name, target: { hash } });
      return created(branch.name, branch.target?.hash ?? hash);
    } catch (error) {
      // Bitbucket answers 400 when the branch exists (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-refs/#api-repositories-workspace-repo-slug-refs-branches-post).
      if (!(isBitbucketFailure(error, 'BITBUCKET_BAD_REQUEST') || isBitbucketFailure(error, 'BITBUCKET_CONFLICT'))) throw error;
      const done = await settle();
      if (done) return done;
      throw error;
    }
  },
});
