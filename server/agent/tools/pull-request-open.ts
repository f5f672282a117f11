import { z } from 'zod';
import type { PullRequest } from '../../bitbucket';
import { defineTool } from './tool';
import { branchName, repoFields, toPullRequestLinks, toRepoName, toWorkspace, userRef } from './tool-inputs';
import { resolveUsers } from './resolve-users';

export const pullRequestOpen = defineTool({
  name: 'pullRequest.open',
  description: 'Open a pull request from a source branch into a destination branch (the main branch when omitted).',
  input: z.object({
    ...repoFields,
    source: branchName.describe('Source branch'),
    destination: branchName.optional().describe("Destination branch; defaults to the repository's main branch"),
    title: z.string().min(1).max(255),
    description: z.string().max(20_000).optional(),
    closeSourceBranch: z.boolean().optional(),
    draft: z.boolean().optional(),
    reviewers: z.array(userRef).max(20).optional().describe('Reviewers: @nickname, {uuid} or account_id'),
  }),
  scopes: ['pullrequest:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const opened = (pr: PullRequest) => ({
      summary: `Opened pull request #${pr.id} "${pr.title}" from ${pr.source.branch.name} to ${pr.destination.branch.name} in ${toRepoName(input, ctx.tenant)}.`,
      links: toPullRequestLinks(pr),
      data: { id: pr.id, created: true },
    });
    const destination = input.destination ?? (await ctx.client.repositories.get(workspace, input.repo)).mainbranch?.name;
    // Safe to repeat: an open PR for the same branches is reported instead of a second one.
    const open = await ctx.client.pullRequests.list(workspace, input.repo, {
      state: ['OPEN'],
      q: `source.branch.name = "${input.source.replace(/["\\]/g, '\\$&')}"`,
      max: 50,
    });
    const same = open.find((pr) => pr.source.branch.name === input.source && (destination === undefined || pr.destination.branch.name === destination));
    // This step opened it before its process died (Bitbucket answered, Bosun never recorded it):
    // the result the first run would have returned.
    if (same && ctx.step?.mayBeApplied && same.title === input.title) return opened(same);
    if (same) {
      return {
        summary: `Pull request #${same.id} from ${input.source} to ${same.destination.branch.name} is already open.`,
        links: toPullRequestLinks(same),
        data: { id: same.id, created: false },
      };
    }
    const reviewers = input.reviewers?.length ? await resolveUsers(ctx.client, workspace, input.reviewers) : [];
    const pr = await ctx.client.pullRequests.create(workspace, input.repo, {
      title: input.title,
      source: { branch: { name: input.source } },
      ...(destination !== undefined ? { destination: { branch: { name: destination } } } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.closeSourceBranch !== undefined ? { close_source_branch: input.closeSourceBranch } : {}),
      ...(input.draft !== undefined ? { draft: input.draft } : {}),
      ...(reviewers.length ? { reviewers: reviewers.map((r) => ({ uuid: r.uuid })) } : {}),
    });
    return opened(pr);
  },
});
