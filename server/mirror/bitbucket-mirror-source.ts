import type { BitbucketClient } from '../bitbucket';
import type { MirrorSource } from './mirror-source';

/** A large workspace's lists are read whole: the budget, not a cap, bounds what a sync spends. */
const MAX_ITEMS = 100_000;
/** Branch heads past this many (a repository of stale feature branches) are left to webhooks. */
const MAX_BRANCHES = 1_000;

/** The mirror's source over Bosun's Bitbucket client (give the client a budgeted fetch to charge a lane). */
export function createBitbucketMirrorSource(client: BitbucketClient, workspace: string): MirrorSource {
  return {
    listRepositories: () => client.repositories.list(workspace, { max: MAX_ITEMS }),
    getRepository: (repositoryUuid) => client.repositories.get(workspace, repositoryUuid),
    listPullRequests: (repositoryUuid, options) =>
      client.pullRequests.list(workspace, repositoryUuid, { state: options.states, q: options.q, sort: options.sort, withParticipants: true, max: MAX_ITEMS }),
    getPullRequest: (repositoryUuid, id) => client.pullRequests.get(workspace, repositoryUuid, id),
    listPullRequestStatuses: (repositoryUuid, id) => client.pullRequests.listStatuses(workspace, repositoryUuid, id, { max: MAX_ITEMS }),
    listBranches: (repositoryUuid) => client.branches.list(workspace, repositoryUuid, { max: MAX_BRANCHES }),
    listDefaultReviewers: (repositoryUuid) => client.defaultReviewers.list(workspace, repositoryUuid),
    listBranchRestrictions: (repositoryUuid) => client.branchRestrictions.list(workspace, repositoryUuid),
    listRecentPipelines: (repositoryUuid, max) => client.pipelines.list(workspace, repositoryUuid, { sort: '-created_on', max }),
    listWebhooks: (repositoryUuid) => client.webhooks.list(workspace, repositoryUuid, { max: MAX_ITEMS }),
    getPipelinesConfig: (repositoryUuid) => client.pipelinesConfig.get(workspace, repositoryUuid),
  };
}
