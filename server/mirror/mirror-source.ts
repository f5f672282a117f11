import type { Account, Branch, BranchRestriction, CommitStatus, Pipeline, PullRequest, PullRequestState, Repository, WebhookSubscription } from '../bitbucket';

/** What the mirror reads from Bitbucket, for one tenant's workspace (bitbucket-mirror-source.ts implements it). */
export interface MirrorSource {
  listRepositories(): Promise<Repository[]>;
  getRepository(repositoryUuid: string): Promise<Repository>;
  /** With participants and reviewers. `q` is BBQL; `sort` e.g. `-updated_on`. */
  listPullRequests(repositoryUuid: string, options: { states: PullRequestState[]; q?: string; sort?: string }): Promise<PullRequest[]>;
  getPullRequest(repositoryUuid: string, id: number): Promise<PullRequest>;
  listPullRequestStatuses(repositoryUuid: string, id: number): Promise<CommitStatus[]>;
  listBranches(repositoryUuid: string): Promise<Branch[]>;
  listDefaultReviewers(repositoryUuid: string): Promise<Account[]>;
  listBranchRestrictions(repositoryUuid: string): Promise<BranchRestriction[]>;
  /** Newest first, at most `max`. */
  listRecentPipelines(repositoryUuid: string, max: number): Promise<Pipeline[]>;
  /** The repository's webhooks (needs the `webhook` scope). */
  listWebhooks(repositoryUuid: string): Promise<WebhookSubscription[]>;
  /** `…/pipelines_config`: 404 or 400 when Pipelines was never set up for the workspace. */
  getPipelinesConfig(repositoryUuid: string): Promise<{ enabled?: boolean | undefined }>;
}
