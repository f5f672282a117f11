import { z } from 'zod';
import type { UpdatePullRequestInput } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { branchName, pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

export const pullRequestUpdate = defineTool({
  name: 'pullRequest.update',
  description: 'Change the title, description, destination branch or draft flag of an open pull request.',
  input: z
    .object({
      ...pullRequestFields,
      title: z.string().min(1).max(255).optional(),
      description: z.string().max(20_000).optional(),
      destination: branchName.optional(),
      draft: z.boolean().optional(),
      closeSourceBranch: z.boolean().optional(),
    })
    .refine(
      (v) => [v.title, v.description, v.destination, v.draft, v.closeSourceBranch].some((f) => f !== undefined),
      'give at least one of title, description, destination, draft, closeSourceBranch',
    ),
  scopes: ['pullrequest:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const current = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    if (current.state !== 'OPEN') throw new ToolError(`Pull request #${current.id} is ${current.state.toLowerCase()}; only open ones can be edited.`);
    const change: UpdatePullRequestInput = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.destination !== undefined ? { destination: { branch: { name: input.destination } } } : {}),
      ...(input.draft !== undefined ? { draft: input.draft } : {}),
      ...(input.closeSourceBranch !== undefined ? { close_source_branch: input.closeSourceBranch } : {}),
    };
    const pr = await ctx.client.pullRequests.update(workspace, input.repo, input.pullRequestId, change);
    return { summary: `Updated pull request #${pr.id} (${Object.keys(change).join(', ')}).`, links: toPullRequestLinks(pr), data: { id: pr.id } };
  },
});
