import type { CommitStatus, PullRequest, PullRequestState, Repository } from '../bitbucket';

/** What the mirror reads from Bitbucket, for one tenant's workspace (bitbucket-mirror-source.ts implements it). */
export interface MirrorSource {
  listRepositories(): Promise<Repository[]>;
  getRepository(repositoryUuid: string): Promise<Repository>;
  /** With participants and reviewers. `q` is BBQL; `sort` e.g. `-updated_on`. */
  listPullRequests(repositoryUuid: string, options: { states: PullRequestState[]; q?: string; sort?: string }): Promise<PullRequest[]>;
  getPullRequest(repositoryUuid: string, id: number): Promise<PullRequest>;
  listPullRequestStatuses(repositoryUuid: string, id: number): Promise<CommitStatus[]>;
}
