/**
 * Merging, the one write that needs special care: it may answer 202 and finish in the
 * background, and a lost response must not turn into a second merge attempt blindly.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-pull-request-id-merge-post
 */
import { ExternalHostError, isRetryableBitbucketError, ResponseShapeError } from '../errors';
import type { HttpResponse, HttpTransport } from '../http';
import { computeBackoffMs } from '../retry';
import type { MergeStrategy } from '../schemas/branch';
import { mergeTaskStatusSchema } from '../schemas/merge-task';
import { pullRequestSchema, type PullRequest } from '../schemas/pull-request';

export interface MergeParameters {
  merge_strategy?: MergeStrategy;
  message?: string;
  close_source_branch?: boolean;
}

export interface MergeOptions {
  /** Ask Bitbucket to merge in the background (`?async=true`): 202 + task to poll. */
  async?: boolean;
  /** Task-status polls before giving up. Default 20. */
  maxPolls?: number;
  /** First wait between polls; grows by half each time up to 5 s. Default 1,000 ms. */
  pollIntervalMs?: number;
}

const MAX_POLL_INTERVAL_MS = 5_000;

/**
 * Merges pull request `id` and resolves with the merged PR.
 * On a retryable failure (5xx, 555 "timed out", 429, timeout, dropped connection) the request may
 * still have merged, so the PR is re-read: MERGED is success; still OPEN gets exactly one more try.
 */
export async function mergePullRequest(
  http: HttpTransport,
  prPath: string,
  params: MergeParameters,
  options: MergeOptions,
): Promise<PullRequest> {
  const sendMerge = () =>
    http.send({
      method: 'POST',
      path: `${prPath}/merge`,
      query: { async: options.async ? 'true' : undefined },
      body: params,
      retry: 'unsent-only',
    });
  const getPullRequest = () => http.sendJson({ method: 'GET', path: prPath }, pullRequestSchema);

  let response: HttpResponse;
  try {
    response = await sendMerge();
  } catch (error) {
    if (!isRetryableBitbucketError(error)) throw error;
    const { logger, requestContext, retry, random, sleep } = http.config;
    logger.warn('bitbucket merge failed retryably, re-reading the pull request', {
      path: prPath,
      code: error.code,
      status: error.status,
      ...requestContext,
    });
    const waitMs = 'retryAfterMs' in error && error.retryAfterMs !== null ? error.retryAfterMs : computeBackoffMs(0, retry, random);
    await sleep(Math.min(waitMs, retry.maxTotalMs));
    const current = await getPullRequest();
    if (current.state === 'MERGED') return current;
    if (current.state !== 'OPEN') throw error;
    response = await sendMerge();
  }
  return finishMerge(http, response, prPath, options, getPullRequest);
}

async function finishMerge(
  http: HttpTransport,
  response: HttpResponse,
  prPath: string,
  options: MergeOptions,
  getPullRequest: () => Promise<PullRequest>,
): Promise<PullRequest> {
  if (response.status !== 202) return http.parseBody(response, pullRequestSchema);
  const location = response.headers.get('location');
  if (location === null) {
    throw new ResponseShapeError(response.target, 202, [
      { path: 'Location', code: 'missing_header', message: '202 without a Location header' },
    ]);
  }
  // Location is normally absolute; a relative one resolves against baseApiUrl's origin.
  const taskPath = new URL(location, http.config.baseApiUrl).href;
  const maxPolls = options.maxPolls ?? 20;
  let intervalMs = options.pollIntervalMs ?? 1_000;
  for (let poll = 0; poll < maxPolls; poll += 1) {
    await http.config.sleep(intervalMs);
    intervalMs = Math.min(MAX_POLL_INTERVAL_MS, Math.round(intervalMs * 1.5));
    const task = await http.sendJson({ method: 'GET', path: taskPath }, mergeTaskStatusSchema);
    if (task.task_status === 'SUCCESS') return task.merge_result ?? (await getPullRequest());
    // PENDING (or a state the docs do not list yet): keep polling within the bound.
  }
  throw new ExternalHostError(
    `Bitbucket's merge task for ${prPath} was still pending after ${maxPolls} polls; it may still complete, re-read the pull request`,
    { method: 'GET', path: taskPath },
    { status: 202, reason: 'pending' },
  );
}
