/**
 * What every contract scenario gets: Bosun + sandbox on real ports, clients that record their
 * exchanges (one acting as the Connect installation, one as the workspace admin through OAuth)
 * and fixtures created straight in the sandbox so that only the operation under test is recorded.
 */
import { createBitbucketClient, type BitbucketClient } from '../../server/bitbucket';
import type { PullRequest } from '../../sandbox';
import { startStack, TEST_OAUTH_CONSUMER, type RunningStack } from '../helpers/start-stack';
import { createRecorder, type Recorder } from './recording-fetch';

export const WORKSPACE = 'acme';
export const REPO = 'web';

/** Everything the operations under test need; `repository:admin` does not imply read or write. */
export const CONTRACT_OAUTH_SCOPES = ['account', 'email', 'repository:write', 'repository:admin', 'pullrequest:write', 'webhook', 'pipeline:write'];

const READ_ONLY_CONSUMER = 'bosun-contract-read-only';

export interface ContractContext {
  stack: RunningStack;
  workspace: string;
  repo: string;
  /** The Connect installation (app JWT, with the descriptor's scopes), recorded. */
  app: BitbucketClient;
  /** alice, workspace admin, through an OAuth bearer token, recorded. */
  user: BitbucketClient;
  /** alice through a consumer granted only `account` and `repository` (read), recorded: for 403 answers. */
  readOnly: BitbucketClient;
  recorder: Recorder;
  /** A fresh name, unique within the run. */
  unique(prefix: string): string;
  /** A new branch off main with one commit of its own (created in the sandbox, not recorded). */
  newBranch(prefix?: string): { name: string; hash: string };
  /** An open PR by bob from a new branch into main (created in the sandbox, not recorded). */
  newPullRequest(opts?: { author?: string; reviewers?: string[] }): PullRequest;
  /** Polls `check` until it returns a value other than undefined. */
  waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs?: number): Promise<T>;
}

export interface ClientTuning {
  timeoutMs?: number;
  retry?: { maxRetries?: number; baseDelayMs?: number; maxTotalMs?: number };
}

/** A client acting as the installation Bosun stored for the stack's workspace. */
export async function createAppClient(stack: RunningStack, fetchImpl: typeof fetch, tuning: ClientTuning = {}): Promise<BitbucketClient> {
  const tenant = await stack.bosun.services.deps.tenants.getWithSecret(stack.installation.clientKey);
  if (!tenant) throw new Error('Bosun did not store the installation');
  return createBitbucketClient({
    baseApiUrl: tenant.baseApiUrl,
    auth: { kind: 'connect-jwt', appKey: tenant.appKey, clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret },
    fetch: fetchImpl,
    ...tuning,
  });
}

/** A client acting as `nickname` with a token the sandbox's OAuth server issued to Bosun's consumer. */
export function createUserClient(
  stack: RunningStack,
  nickname: string,
  fetchImpl: typeof fetch,
  tuning: ClientTuning = {},
  consumerKey = TEST_OAUTH_CONSUMER.key,
): BitbucketClient {
  const tokens = stack.sandbox.oauth.issueTokens({ userNickname: nickname, consumerKey });
  return createBitbucketClient({
    baseApiUrl: stack.sandboxUrl,
    auth: { kind: 'bearer', getAccessToken: async () => tokens.access_token },
    fetch: fetchImpl,
    ...tuning,
  });
}

export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function createContractContext(): Promise<ContractContext> {
  const stack = await startStack({
    oauth: { scopes: CONTRACT_OAUTH_SCOPES },
    // Pipelines stay running long enough to be stopped, and finish soon enough for a step log.
    sandbox: { pipelineStepMs: 150, asyncMergeMs: 50, rateLimitPerHour: 0 },
  });
  const recorder = createRecorder();
  const retry = { baseDelayMs: 10, maxTotalMs: 2_000 };
  const app = await createAppClient(stack, recorder.fetch, { retry });
  const user = createUserClient(stack, 'alice', recorder.fetch, { retry });
  stack.sandbox.oauth.addConsumer({
    key: READ_ONLY_CONSUMER,
    secret: `${READ_ONLY_CONSUMER}-secret-0123456789`,
    name: 'Contract (read only)',
    callbackUrl: `${stack.bosun.url}/oauth/callback`,
    scopes: ['account', 'repository'],
  });
  const readOnly = createUserClient(stack, 'alice', recorder.fetch, { retry }, READ_ONLY_CONSUMER);
  let counter = 0;
  const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;
  const newBranch = (prefix = 'contract/branch') => {
    const name = unique(prefix);
    const commit = stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: name, actor: 'bob', message: `Work on ${name}` });
    return { name, hash: commit.hash };
  };
  return {
    stack,
    workspace: WORKSPACE,
    repo: REPO,
    app,
    user,
    readOnly,
    recorder,
    unique,
    newBranch,
    newPullRequest(opts = {}) {
      const branch = newBranch('contract/pr');
      return stack.sandbox.actions.createPullRequest({
        workspace: WORKSPACE,
        repo: REPO,
        actor: opts.author ?? 'bob',
        title: `Contract ${branch.name}`,
        sourceBranch: branch.name,
        destinationBranch: 'main',
        reviewers: opts.reviewers ?? ['carol'],
      });
    },
    waitFor,
  };
}
