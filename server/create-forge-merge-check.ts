import { toReadinessInput } from './agent/readiness/to-readiness-input';
import type { BitbucketClient } from './bitbucket';
import type { ForgeMergeCheck } from './forge';
import { evaluateReadiness, type ReadinessInput } from './rules';

/**
 * The read side of the Forge merge check: everything the readiness oracle needs, read as the app
 * with the invocation's system token, then the oracle's verdict. Lives at the composition root:
 * forge/ may not import rules/, and rules/ does no I/O.
 */
export async function loadReadinessInput(client: BitbucketClient, workspace: string, repo: string, pullRequestId: number): Promise<ReadinessInput> {
  const [pr, repository, restrictions, defaultReviewers, tasks] = await Promise.all([
    client.pullRequests.get(workspace, repo, pullRequestId),
    client.repositories.get(workspace, repo),
    client.branchRestrictions.list(workspace, repo),
    client.defaultReviewers.list(workspace, repo),
    client.pullRequests.listTasks(workspace, repo, pullRequestId),
  ]);
  const head = pr.source.commit?.hash;
  const statuses = head ? await client.statuses.listForCommit(workspace, repo, head) : [];
  return toReadinessInput(pr, {
    statuses,
    restrictions,
    defaultReviewerUuids: defaultReviewers.flatMap((a) => (a.uuid ? [a.uuid] : [])),
    mainBranch: repository.mainbranch?.name ?? null,
    tasks: tasks.map((t) => ({ state: t.state === 'RESOLVED' ? 'RESOLVED' : 'UNRESOLVED' })),
  });
}

/** Bitbucket asks before a merge; Bosun answers the oracle's verdict, blockers as the message. */
export function createForgeMergeCheck(options: { now: () => Date }): ForgeMergeCheck {
  return async ({ tenant, client, repositoryUuid, pullRequestId }) => {
    // Bitbucket takes `{uuid}` in place of both the workspace and the repository slug.
    const workspace = tenant.workspaceUuid ?? tenant.workspaceSlug;
    if (!workspace) return { ready: false, blockers: ['Bosun does not know this installation’s workspace.'] };
    const input = await loadReadinessInput(client, workspace, repositoryUuid, pullRequestId);
    // Bosun's own check: every blocker counts, whether or not the workspace's plan enforces merge checks.
    const readiness = evaluateReadiness(input, { enforcement: 'always', now: options.now() });
    return { ready: readiness.ready, blockers: readiness.blockers.map((b) => b.message) };
  };
}
