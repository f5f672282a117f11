import { z } from 'zod';
import type { Branch, PullRequest } from '../../bitbucket';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface BranchHygieneEntry {
  name: string;
  /** `merged`: a merged pull request took this branch at its current head; `stale`: no commit for `staleDays`. */
  reason: 'merged' | 'stale';
  lastCommitOn: string | null;
  pullRequestId: number | null;
}

/**
 * Merged and stale branches of one repository. Never the main branch, nor a branch with an open
 * pull request. Pure over what Bitbucket answered, so tests can feed it directly.
 */
export function toBranchHygiene(input: { branches: Branch[]; openPullRequests: PullRequest[]; mergedPullRequests: PullRequest[]; mainBranch: string | null; staleDays: number; now: Date }): BranchHygiene {
  const open = new Set(input.openPullRequests.map((p) => p.source.branch?.name).filter((n): n is string => !!n));
  const entries: BranchHygieneEntry[] = [];
  for (const branch of input.branches) {
    if (branch.name === input.mainBranch || open.has(branch.name)) continue;
    const head = branch.target?.hash ?? null;
    // A merged PR counts only if the branch has not moved since: new commits are unmerged work.
    const merged = input.mergedPullRequests.find((p) => p.source.branch?.name === branch.name && head !== null && p.source.commit?.hash !== undefined && head.startsWith(p.source.commit.hash));
    const date = branch.target?.date ?? null;
    if (merged) entries.push({ name: branch.name, reason: 'merged', lastCommitOn: date, pullRequestId: merged.id });
    else if (date && input.now.getTime() - Date.parse(date) > input.staleDays * DAY_MS) entries.push({ name: branch.name, reason: 'stale', lastCommitOn: date, pullRequestId: null });
  }
  return { entries: entries.sort((a, b) => a.name.localeCompare(b.name)) };
}

export interface BranchHygiene {
  entries: BranchHygieneEntry[];
}

export const branchListStale = defineTool({
  name: 'branch.listStale',
  description: 'List merged and stale branches of a repository (never the main branch or one with an open pull request).',
  input: z.object({ ...repoFields, staleDays: z.number().int().min(1).max(3650).default(90).describe('Days without a commit before a branch is stale') }),
  scopes: ['repository', 'pullrequest'],
  actsAs: 'installation',
  risk: 'read',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const [repo, branches, openPullRequests, mergedPullRequests] = await Promise.all([
      ctx.client.repositories.get(workspace, input.repo),
      ctx.client.branches.list(workspace, input.repo),
      ctx.client.pullRequests.list(workspace, input.repo, { state: ['OPEN'] }),
      ctx.client.pullRequests.list(workspace, input.repo, { state: ['MERGED'] }),
    ]);
    const { entries } = toBranchHygiene({ branches, openPullRequests, mergedPullRequests, mainBranch: repo.mainbranch?.name ?? null, staleDays: input.staleDays, now: ctx.now() });
    const name = toRepoName(input, ctx.tenant);
    return {
      summary:
        entries.length === 0
          ? `${name} has no merged or stale branches.`
          : `${name}: ${entries.length} branch${entries.length === 1 ? '' : 'es'} to clean up:\n${entries.map((e) => `${e.name} (${e.reason === 'merged' ? `merged in #${e.pullRequestId}` : `no commit since ${e.lastCommitOn?.slice(0, 10)}`})`).join('\n')}`,
      links: [],
      data: { entries },
    };
  },
});
