import type { BitbucketAuth } from './auth';
import { createHttpTransport } from './http';
import { createSilentLogger, type BitbucketLogger, type BitbucketRequestContext } from './logger';
import { createBranchRestrictionsOperations, type BranchRestrictionsOperations } from './operations/branch-restrictions';
import { createBranchesOperations, type BranchesOperations } from './operations/branches';
import { createCommitsOperations, type CommitsOperations } from './operations/commits';
import { createDefaultReviewersOperations, type DefaultReviewersOperations } from './operations/default-reviewers';
import { createPipelinesOperations, type PipelinesOperations } from './operations/pipelines';
import { createPipelinesConfigOperations, type PipelinesConfigOperations } from './operations/pipelines-config';
import { createPullRequestsOperations, type PullRequestsOperations } from './operations/pull-requests';
import { createRepositoriesOperations, type RepositoriesOperations } from './operations/repositories';
import { createReportsOperations, type ReportsOperations } from './operations/reports';
import { createRepositoryWebhooksOperations, type RepositoryWebhooksOperations } from './operations/repository-webhooks';
import { createSourceOperations, type SourceOperations } from './operations/source';
import { createStatusesOperations, type StatusesOperations } from './operations/statuses';
import { createUsersOperations, type UsersOperations } from './operations/users';
import { createWorkspacesOperations, type WorkspacesOperations } from './operations/workspaces';
import { DEFAULT_RETRY_POLICY } from './retry';
import { createSemaphore, type Semaphore } from './semaphore';

export interface BitbucketClientOptions {
  /** e.g. `https://api.bitbucket.org` (the tenant's `baseApiUrl`) or the sandbox; `/2.0` is appended. */
  baseApiUrl: string;
  auth: BitbucketAuth;
  fetch?: typeof fetch;
  logger?: BitbucketLogger;
  /** Millisecond clock (JWT `iat`, durations, retry budget, Retry-After dates). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1) source for backoff jitter. */
  random?: () => number;
  /** Per attempt, including reading the body. Default 10,000. */
  timeoutMs?: number;
  retry?: { maxRetries?: number; baseDelayMs?: number; maxTotalMs?: number };
  /** Requests in flight at once for this client alone. Default 4. Ignored when `limiter` is given. */
  maxConcurrency?: number;
  /**
   * A semaphore shared by every client of one tenant (or user). Bosun builds a client per
   * request, so a per-client limit would not bound the tenant: create one with
   * {@link createSemaphore} per tenant and pass it to each client.
   */
  limiter?: Semaphore;
  /** Logged with every request. Credentials never are. */
  requestContext?: BitbucketRequestContext;
}

export interface BitbucketClient {
  users: UsersOperations;
  workspaces: WorkspacesOperations;
  repositories: RepositoriesOperations;
  branches: BranchesOperations;
  commits: CommitsOperations;
  source: SourceOperations;
  pullRequests: PullRequestsOperations;
  statuses: StatusesOperations;
  defaultReviewers: DefaultReviewersOperations;
  branchRestrictions: BranchRestrictionsOperations;
  webhooks: RepositoryWebhooksOperations;
  pipelines: PipelinesOperations;
  /** Whether Pipelines is enabled for a repository. */
  pipelinesConfig: PipelinesConfigOperations;
  /** Code Insights reports and annotations on a commit. */
  reports: ReportsOperations;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a typed Bitbucket Cloud REST 2.0 client for one tenant (Connect JWT) or one user
 * (OAuth bearer). Every call is validated, retried where safe and classified into
 * {@link BitbucketError} subclasses.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/
 */
export function createBitbucketClient(options: BitbucketClientOptions): BitbucketClient {
  const http = createHttpTransport({
    baseApiUrl: options.baseApiUrl,
    auth: options.auth,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    logger: options.logger ?? createSilentLogger(),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retry ?? {}) },
    semaphore: options.limiter ?? createSemaphore(options.maxConcurrency ?? 4),
    requestContext: { ...options.requestContext },
  });
  return {
    users: createUsersOperations(http),
    workspaces: createWorkspacesOperations(http),
    repositories: createRepositoriesOperations(http),
    branches: createBranchesOperations(http),
    commits: createCommitsOperations(http),
    source: createSourceOperations(http),
    pullRequests: createPullRequestsOperations(http),
    statuses: createStatusesOperations(http),
    defaultReviewers: createDefaultReviewersOperations(http),
    branchRestrictions: createBranchRestrictionsOperations(http),
    webhooks: createRepositoryWebhooksOperations(http),
    pipelines: createPipelinesOperations(http),
    pipelinesConfig: createPipelinesConfigOperations(http),
    reports: createReportsOperations(http),
  };
}

/** Drops `undefined` so a caller's `{maxRetries: undefined}` does not erase a default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
