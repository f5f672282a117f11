import { z } from 'zod';
import { commitStatusStateSchema, isBitbucketFailure, type BuildStatusInput, type CommitStatus } from '../../bitbucket';
import { defineTool, type ToolContext } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';

/** Bitbucket keys are at most 40 characters and stable per check. */
function toStatusKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'bosun';
}

export const buildStatusReport = defineTool({
  name: 'buildStatus.report',
  description: 'Report a build status (in progress, successful, failed, stopped) on a commit. The same key overwrites the earlier status.',
  input: z.object({
    ...repoFields,
    commit: z.string().regex(/^[0-9a-f]{4,40}$/i, 'must be a commit hash').describe('Commit hash (short or full)'),
    state: commitStatusStateSchema,
    name: z.string().min(1).max(255).describe('Name shown on the commit and pull request'),
    key: z.string().min(1).max(40).optional().describe('Stable id of the check; derived from name when omitted'),
    url: z.url().optional().describe('Link to the build; the commit page when omitted'),
    description: z.string().max(255).optional(),
    refname: z.string().max(255).optional().describe("Branch; set it to the PR's source branch so the status shows on the PR"),
  }),
  scopes: ['repository'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    // Resolves a short hash to the full one and proves the commit exists before reporting on it.
    const commit = await ctx.client.commits.get(workspace, input.repo, input.commit);
    const url = input.url ?? commit.links?.html?.href ?? `https://bitbucket.org/${workspace}/${input.repo}/commits/${commit.hash}`;
    const body = {
      key: input.key ?? toStatusKey(input.name),
      state: input.state,
      name: input.name,
      url,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.refname !== undefined ? { refname: input.refname } : {}),
    };
    // Safe to repeat as it is: Bitbucket keeps one status per (commit, key) and a POST with the same
    // key overwrites it (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-commit-statuses/).
    // A step that may already have run still reads it first: an identical status is done, and is not
    // rewritten (which would tell every subscriber "status updated" a second time).
    const earlier = ctx.step?.mayBeApplied ? await findSameStatus(ctx, workspace, input.repo, commit.hash, body) : null;
    const status = earlier ?? (await ctx.client.statuses.createBuild(workspace, input.repo, commit.hash, body));
    return {
      summary: `Reported ${status.state} for "${input.name}" on ${commit.hash.slice(0, 12)} in ${toRepoName(input, ctx.tenant)}.`,
      links: [{ label: input.name, url }],
      data: { key: status.key, state: status.state, commit: commit.hash },
    };
  },
});

async function findSameStatus(ctx: ToolContext, workspace: string, repo: string, commit: string, body: BuildStatusInput): Promise<CommitStatus | null> {
  try {
    const status = await ctx.client.statuses.getBuild(workspace, repo, commit, body.key);
    const same =
      status.state === body.state &&
      (status.name ?? undefined) === body.name &&
      (status.url ?? undefined) === body.url &&
      (body.description === undefined || status.description === body.description) &&
      (body.refname === undefined || status.refname === body.refname);
    return same ? status : null;
  } catch (error) {
    if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
    throw error;
  }
}
