import { commitStatusSchema, pullRequestSchema, repositorySchema, type CommitStatus, type PullRequest, type Repository } from '../bitbucket';
import { toInstant, toShortHash, type MirroredPullRequest, type MirroredRepository, type MirroredStatus, type PullRequestRecord, type RepositoryRecord, type StatusRecord } from './mirror-store';

/** Only what the views and rules read is kept: the rest of Bitbucket's object is noise in the mirror. */
function pickPullRequest(pr: PullRequest): PullRequest {
  return {
    id: pr.id, title: pr.title, description: pr.description, state: pr.state, draft: pr.draft, author: pr.author,
    source: pr.source, destination: pr.destination, reviewers: pr.reviewers, participants: pr.participants,
    merge_commit: pr.merge_commit, close_source_branch: pr.close_source_branch, comment_count: pr.comment_count, task_count: pr.task_count,
    created_on: pr.created_on, updated_on: pr.updated_on, links: pr.links?.html ? { html: pr.links.html } : undefined,
  };
}

export function toPullRequestRecord(pr: PullRequest): PullRequestRecord {
  return {
    id: pr.id,
    state: pr.state,
    // A PR without updated_on (never seen from Bitbucket) sorts oldest, so any dated copy wins.
    updatedOn: toInstant(pr.updated_on ?? pr.created_on) ?? '0000-00-00T00:00:00.000Z',
    sourceHash: toShortHash(pr.source.commit?.hash),
    dataJson: JSON.stringify(pickPullRequest(pr)),
  };
}

export function toStatusRecord(status: CommitStatus): StatusRecord {
  return {
    key: status.key,
    updatedOn: toInstant(status.updated_on ?? status.created_on) ?? '0000-00-00T00:00:00.000Z',
    dataJson: JSON.stringify({
      key: status.key, state: status.state, name: status.name, url: status.url, description: status.description,
      refname: status.refname, created_on: status.created_on, updated_on: status.updated_on,
    }),
  };
}

export function toRepositoryRecord(repo: Repository): RepositoryRecord {
  return {
    uuid: repo.uuid,
    fullName: repo.full_name,
    dataJson: JSON.stringify({
      uuid: repo.uuid, full_name: repo.full_name, name: repo.name, slug: repo.slug, is_private: repo.is_private, description: repo.description,
      updated_on: repo.updated_on, mainbranch: repo.mainbranch, links: repo.links?.html ? { html: repo.links.html } : undefined,
    }),
  };
}

export const readPullRequest = (row: MirroredPullRequest): PullRequest => pullRequestSchema.parse(JSON.parse(row.dataJson));
export const readStatus = (row: MirroredStatus): CommitStatus => commitStatusSchema.parse(JSON.parse(row.dataJson));
export const readRepository = (row: MirroredRepository): Repository => repositorySchema.parse(JSON.parse(row.dataJson));
