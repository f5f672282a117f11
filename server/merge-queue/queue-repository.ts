/** A pull request as the queue runner reads it. */
export interface QueuePullRequest {
  id: number;
  state: string;
  sourceBranch: string;
  sourceCommit: string | null;
  destinationBranch: string;
  /** The PR's own "close source branch after merge" (`close_source_branch`, openapi.json). */
  closeSourceBranch: boolean;
}

/**
 * A refused merge. `notFastForward`: Bitbucket said a fast-forward is not possible (the target has commits the source lacks);
 * Bitbucket gives that no code of its own, so the adapter that reads its answer decides it, once, at the edge.
 */
export type QueueMergeOutcome = { ok: true } | { ok: false; status: number | null; message: string; notFastForward: boolean };

/**
 * The Bitbucket calls the queue runner makes on one repository (docs/merge-queue.md lists the
 * endpoints and their sources). Declared here, implemented over the REST client in
 * server/agent/create-bitbucket-queue-repository.ts.
 */
export interface QueueRepository {
  /** The branch's head commit, or null if there is no such branch. */
  getBranchHead(name: string): Promise<string | null>;
  createBranch(name: string, at: string): Promise<void>;
  /** Deletes the branch; a branch that is already gone is fine. */
  deleteBranch(name: string): Promise<void>;
  getPullRequest(id: number): Promise<QueuePullRequest>;
  findOpenPullRequest(sourceBranch: string, destinationBranch: string): Promise<QueuePullRequest | null>;
  /** A merged PR from one branch into another (a batch's helper PR already merged by an earlier worker), or null. */
  findMergedPullRequest(sourceBranch: string, destinationBranch: string): Promise<QueuePullRequest | null>;
  createPullRequest(input: { title: string; description: string; sourceBranch: string; destinationBranch: string }): Promise<QueuePullRequest>;
  /** The commit statuses CI reported on a commit (a batch's tested head). */
  listCommitStatuses(commit: string): Promise<Array<{ key: string; state: string; name?: string | null; description?: string | null }>>;
  /**
   * Merges (asynchronous merges polled to the end); a refusal is an outcome, not a throw. `message`:
   * the resulting commit's message (openapi.json `pullrequest_merge_parameters.message`).
   */
  mergePullRequest(id: number, strategy: 'merge_commit' | 'fast_forward', message?: string): Promise<QueueMergeOutcome>;
}
