import { isBitbucketFailure, type BitbucketClient, type PullRequest } from '../../bitbucket';
import { isReadyToMerge, type MergeReadiness } from '../../rules';
import type { Plan } from '../executor/plan';
import type { AutoMerge } from '../stores/auto-merge-store';
import type { ToolTenant } from '../tools/tool';

/** How a pull request that is ready lands: merged now, or handed to its branch's merge queue. */
export type MergeRoute = 'direct' | 'queue';

/** What a merge route is decided from: the armed request and the pull request as read for this decision. */
export interface MergeRouteContext {
  tenant: ToolTenant;
  /** Repository slug or `{uuid}`, as the plan's steps address it. */
  repo: string;
  autoMerge: AutoMerge;
  /** Read once for the decision; a route must not read it again. */
  pullRequest: PullRequest;
}

/** Injected by whoever knows the repository policy ("merge via queue" for a branch); default: direct. */
export type MergeRouteResolver = (context: MergeRouteContext) => Promise<MergeRoute>;

/** The tool a queued merge is planned with (registered in the catalog by the merge queue's wiring). */
export const MERGE_QUEUE_ENQUEUE_TOOL = 'mergeQueue.enqueue';

/** The input this planner gives {@link MERGE_QUEUE_ENQUEUE_TOOL}. */
export interface MergeQueueEnqueuePlanInput {
  workspace: string;
  repo: string;
  pullRequestId: number;
  /** The head the builds passed on: the queue builds and lands exactly this commit. */
  sourceCommit: string;
}

/** One pending "merge when green", checked against the trigger. */
export interface MergeWhenGreenContext {
  tenant: ToolTenant;
  autoMerge: AutoMerge;
  /** The commit the trigger was about (a status webhook), or null when it was about the whole PR. */
  commitHash: string | null;
  /** The installation's client, which the decision reads with. */
  client: BitbucketClient;
}

export type MergeWhenGreenDecision =
  | { kind: 'merged-elsewhere'; pullRequestId: number }
  | { kind: 'closed'; pullRequestId: number; state: Exclude<PullRequest['state'], 'OPEN' | 'MERGED'> }
  /** The trigger's commit is not the PR's head: it says nothing about this PR now. */
  | { kind: 'other-commit'; pullRequestId: number }
  | { kind: 'wait'; pullRequestId: number; readiness: MergeReadiness }
  | { kind: 'execute'; pullRequestId: number; route: MergeRoute; plan: Plan };

export interface MergeWhenGreenPlanner {
  /** Reads the PR once (with its statuses, tasks and restrictions) and says what to do now. Runs nothing. */
  plan(context: MergeWhenGreenContext): Promise<MergeWhenGreenDecision>;
}

export interface MergeWhenGreenPlannerOptions {
  mergeRoute?: MergeRouteResolver;
}

const direct: MergeRouteResolver = async () => 'direct';

/** The repository an armed auto-merge addresses: its uuid when known, else the slug of its full name. */
export function toAutoMergeRepo(autoMerge: AutoMerge): string {
  return autoMerge.repositoryUuid ?? autoMerge.repositoryFullName.split('/')[1] ?? autoMerge.repositoryFullName;
}

/**
 * The merge-when-green decision (issue 9): closed or merged elsewhere, not this commit, not ready
 * yet, or ready, and then a plan the executor runs: a merge, or the merge queue's enqueue when the
 * injected route says so.
 */
export function createMergeWhenGreenPlanner(options: MergeWhenGreenPlannerOptions = {}): MergeWhenGreenPlanner {
  const mergeRoute = options.mergeRoute ?? direct;
  return {
    async plan({ tenant, autoMerge, commitHash, client }) {
      const repo = toAutoMergeRepo(autoMerge);
      const workspace = tenant.workspace;
      const pr = await client.pullRequests.get(workspace, repo, autoMerge.pullRequestId);
      if (pr.state === 'MERGED') return { kind: 'merged-elsewhere', pullRequestId: pr.id };
      if (pr.state !== 'OPEN') return { kind: 'closed', pullRequestId: pr.id, state: pr.state };
      // A status on an older commit says nothing about this PR's head (the PR carries the 12-char short hash).
      const head = pr.source.commit?.hash ?? '';
      if (commitHash && head && !commitHash.startsWith(head) && !head.startsWith(commitHash)) return { kind: 'other-commit', pullRequestId: pr.id };

      const readiness = await readReadiness(client, workspace, repo, pr);
      if (!readiness.ready) return { kind: 'wait', pullRequestId: pr.id, readiness };

      const route = await mergeRoute({ tenant, repo, autoMerge, pullRequest: pr });
      if (route === 'queue') {
        const input: MergeQueueEnqueuePlanInput = { workspace, repo, pullRequestId: pr.id, sourceCommit: head };
        return {
          kind: 'execute',
          pullRequestId: pr.id,
          route,
          plan: { summary: `Queue #${pr.id} for merging now that its builds passed`, source: 'rule', steps: [{ tool: MERGE_QUEUE_ENQUEUE_TOOL, input }] },
        };
      }
      return {
        kind: 'execute',
        pullRequestId: pr.id,
        route,
        plan: {
          summary: `Merge #${pr.id} now that its builds passed`,
          source: 'rule',
          steps: [{ tool: 'pullRequest.merge', input: { workspace, repo, pullRequestId: pr.id, ...(autoMerge.mergeStrategy ? { strategy: autoMerge.mergeStrategy } : {}) } }],
        },
      };
    },
  };
}

/** The readiness rule on the PR already read: its statuses, tasks and branch restrictions, not the PR again. */
async function readReadiness(client: BitbucketClient, workspace: string, repo: string, pr: PullRequest): Promise<MergeReadiness> {
  const [statuses, tasks, restrictions] = await Promise.all([
    client.pullRequests.listStatuses(workspace, repo, pr.id),
    client.pullRequests.listTasks(workspace, repo, pr.id),
    // Reading branch restrictions needs repository:admin; without it the restriction checks read as not used
    // (as the pullRequest.status tool does).
    client.branchRestrictions.list(workspace, repo).catch((error: unknown) => {
      if (isBitbucketFailure(error, 'BITBUCKET_FORBIDDEN')) return [];
      throw error;
    }),
  ]);
  return isReadyToMerge(pr, statuses, restrictions, pr.participants ?? [], tasks);
}
