/**
 * Every operation the client exposes, with the HTTP call it makes, named by the spec's own path
 * template (a key of openapi.json `paths`). Contract tests walk this list against the sandbox;
 * the tests check it against both the client and the spec, so keep it in step with operations/.
 */
import type { BitbucketClient } from './client';
import type { HttpMethod } from './http';

/** `'pullRequests.merge'`, `'pipelines.getStepLog'`, …: one per function on a client. */
export type BitbucketOperationName = {
  [G in keyof BitbucketClient]: `${G}.${keyof BitbucketClient[G] & string}`;
}[keyof BitbucketClient];

export interface BitbucketEndpoint {
  method: HttpMethod;
  /** Exactly as the key appears in openapi.json `paths`. */
  path: string;
}

export interface BitbucketOperation extends BitbucketEndpoint {
  name: BitbucketOperationName;
  /** Further calls the operation may make (merge re-reads the PR and polls its task). */
  also?: readonly BitbucketEndpoint[];
}

const REPO = '/repositories/{workspace}/{repo_slug}';
const PR = `${REPO}/pullrequests/{pull_request_id}`;
const PIPELINE = `${REPO}/pipelines/{pipeline_uuid}`;

const get = (path: string): BitbucketEndpoint => ({ method: 'GET', path });
const post = (path: string): BitbucketEndpoint => ({ method: 'POST', path });
const put = (path: string): BitbucketEndpoint => ({ method: 'PUT', path });
const del = (path: string): BitbucketEndpoint => ({ method: 'DELETE', path });

// A Record so the compiler insists on exactly one entry per client function.
const ENDPOINTS: Record<BitbucketOperationName, Omit<BitbucketOperation, 'name'>> = {
  'users.getCurrent': get('/user'),
  'users.listEmails': get('/user/emails'),
  'users.listRepositoryPermissions': get('/user/permissions/repositories'),
  'users.listWorkspacePermissions': get('/user/permissions/workspaces'),
  'workspaces.get': get('/workspaces/{workspace}'),
  'workspaces.listMembers': get('/workspaces/{workspace}/members'),
  'workspaces.getMember': get('/workspaces/{workspace}/members/{member}'),
  'workspaces.listPermissions': get('/workspaces/{workspace}/permissions'),
  'repositories.list': get('/repositories/{workspace}'),
  'repositories.get': get(REPO),
  'repositories.create': post(REPO),
  'repositories.update': put(REPO),
  'branches.list': get(`${REPO}/refs/branches`),
  'branches.get': get(`${REPO}/refs/branches/{name}`),
  'branches.create': post(`${REPO}/refs/branches`),
  'branches.delete': del(`${REPO}/refs/branches/{name}`),
  'commits.list': get(`${REPO}/commits`),
  'commits.get': get(`${REPO}/commit/{commit}`),
  'source.getFile': get(`${REPO}/src/{commit}/{path}`),
  'source.createCommit': post(`${REPO}/src`),
  'pullRequests.list': get(`${REPO}/pullrequests`),
  'pullRequests.get': get(PR),
  'pullRequests.create': post(`${REPO}/pullrequests`),
  'pullRequests.update': put(PR),
  'pullRequests.approve': post(`${PR}/approve`),
  'pullRequests.unapprove': del(`${PR}/approve`),
  'pullRequests.requestChanges': post(`${PR}/request-changes`),
  'pullRequests.removeChangeRequest': del(`${PR}/request-changes`),
  'pullRequests.decline': post(`${PR}/decline`),
  'pullRequests.merge': { ...post(`${PR}/merge`), also: [get(PR), get(`${PR}/merge/task-status/{task_id}`)] },
  'pullRequests.listStatuses': get(`${PR}/statuses`),
  'pullRequests.listComments': get(`${PR}/comments`),
  'pullRequests.createComment': post(`${PR}/comments`),
  'pullRequests.updateComment': put(`${PR}/comments/{comment_id}`),
  'pullRequests.deleteComment': del(`${PR}/comments/{comment_id}`),
  'pullRequests.listActivity': get(`${PR}/activity`),
  'pullRequests.getDiffstat': get(`${PR}/diffstat`),
  'pullRequests.listCommits': get(`${PR}/commits`),
  'pullRequests.listTasks': get(`${PR}/tasks`),
  'pullRequests.createTask': post(`${PR}/tasks`),
  'pullRequests.updateTask': put(`${PR}/tasks/{task_id}`),
  'statuses.listForCommit': get(`${REPO}/commit/{commit}/statuses`),
  'statuses.createBuild': post(`${REPO}/commit/{commit}/statuses/build`),
  'statuses.updateBuild': put(`${REPO}/commit/{commit}/statuses/build/{key}`),
  'statuses.getBuild': get(`${REPO}/commit/{commit}/statuses/build/{key}`),
  'defaultReviewers.list': get(`${REPO}/default-reviewers`),
  'defaultReviewers.add': put(`${REPO}/default-reviewers/{target_username}`),
  'defaultReviewers.remove': del(`${REPO}/default-reviewers/{target_username}`),
  'defaultReviewers.listEffective': get(`${REPO}/effective-default-reviewers`),
  'branchRestrictions.list': get(`${REPO}/branch-restrictions`),
  'branchRestrictions.get': get(`${REPO}/branch-restrictions/{id}`),
  'branchRestrictions.create': post(`${REPO}/branch-restrictions`),
  'branchRestrictions.update': put(`${REPO}/branch-restrictions/{id}`),
  'branchRestrictions.delete': del(`${REPO}/branch-restrictions/{id}`),
  'webhooks.list': get(`${REPO}/hooks`),
  'webhooks.create': post(`${REPO}/hooks`),
  'webhooks.get': get(`${REPO}/hooks/{uid}`),
  'webhooks.update': put(`${REPO}/hooks/{uid}`),
  'webhooks.delete': del(`${REPO}/hooks/{uid}`),
  'pipelines.list': get(`${REPO}/pipelines`),
  'pipelines.get': get(PIPELINE),
  // The spec writes this path without a trailing slash (its prose examples use `/pipelines/`).
  'pipelines.trigger': post(`${REPO}/pipelines`),
  'pipelines.stop': post(`${PIPELINE}/stopPipeline`),
  'pipelines.listSteps': get(`${PIPELINE}/steps`),
  'pipelines.getStep': get(`${PIPELINE}/steps/{step_uuid}`),
  'pipelines.getStepLog': get(`${PIPELINE}/steps/{step_uuid}/log`),
  'pipelinesConfig.get': get(`${REPO}/pipelines_config`),
  'pipelinesConfig.update': put(`${REPO}/pipelines_config`),
  'reports.list': get(`${REPO}/commit/{commit}/reports`),
  'reports.get': get(`${REPO}/commit/{commit}/reports/{reportId}`),
  'reports.put': put(`${REPO}/commit/{commit}/reports/{reportId}`),
  'reports.delete': del(`${REPO}/commit/{commit}/reports/{reportId}`),
  'reports.listAnnotations': get(`${REPO}/commit/{commit}/reports/{reportId}/annotations`),
  'reports.addAnnotations': post(`${REPO}/commit/{commit}/reports/{reportId}/annotations`),
};

/** The catalog: one entry per client operation, in a stable order. */
export const BITBUCKET_OPERATIONS: readonly BitbucketOperation[] = Object.freeze(
  (Object.entries(ENDPOINTS) as Array<[BitbucketOperationName, Omit<BitbucketOperation, 'name'>]>).map(([name, endpoint]) =>
    Object.freeze({ name, ...endpoint }),
  ),
);
