import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createActions, type SandboxActions } from './actions/create-actions';
import { createInstaller } from './connect/create-installer';
import { createFaults, createFaultsRouter, type Faults, type FaultSpec } from './faults/create-faults';
import { createHostRouter } from './host/create-host-router';
import { createRateLimiter, type RateLimiter } from './limits/create-rate-limiter';
import { createRequestCounter, type RequestCounter } from './limits/create-request-counter';
import { createConsoleLogger, type SandboxLogger } from './logger';
import { createOAuthServerFromOptions, type SandboxOAuth } from './oauth/create-oauth-server';
import { createOAuthRouter } from './oauth/create-oauth-router';
import type { OAuthSandboxOptions } from './oauth/types';
import { createRestRouter } from './rest/create-rest-router';
import { createScheduler } from './scheduler/create-scheduler';
import { createLargeSeedData, type LargeSeedOptions } from './seed/create-large-seed-data';
import { loadSeed } from './seed/load-seed';
import { seedData } from './seed/seed-data';
import { loadSeedPipelines } from './seed/seed-pipelines';
import type { ApiContext } from './serialize/api-context';
import { createEmptyState } from './state/create-state';
import type { Installation, SandboxState } from './state/types';
import { createWebhookDispatcher, type WebhookDeliveryRecord } from './webhooks/create-webhook-dispatcher';

export type { SandboxActions, PullRequestRef, MergeStrategy, TriggerPipelineInput } from './actions/create-actions';
export type {
  SandboxState, Installation, PullRequest, Repository, User, Workspace, CommitStatus, Pipeline, BranchRestriction, RepositoryWebhook, PullRequestTask,
} from './state/types';
export type { Faults, FaultSpec, Fault } from './faults/create-faults';
export type { RateLimiter, RateLimitBucket } from './limits/create-rate-limiter';
export type { RequestCounter, CredentialRequestCount } from './limits/create-request-counter';
export type { LargeSeedOptions } from './seed/create-large-seed-data';
export { createLargeSeedData } from './seed/create-large-seed-data';
export type { WebhookDeliveryRecord } from './webhooks/create-webhook-dispatcher';
export type { SandboxLogger } from './logger';
export { InstallError } from './connect/create-installer';
export { SandboxError } from './state/sandbox-error';
export { buildIframeUrl, substituteContext } from './connect/build-iframe-url';
export { hasScope, toEffectiveScopes } from './connect/scopes';
export { DEV_OAUTH_CALLBACK_URL, DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET, DEV_OAUTH_SCOPES } from './oauth/dev-consumer';
export type { SandboxOAuth } from './oauth/create-oauth-server';
export type { OAuthConsumer, OAuthConsumerInput, OAuthSandboxOptions, OAuthTokenResponse } from './oauth/types';

export interface SandboxOptions extends OAuthSandboxOptions {
  /** The sandbox's own origin; plays https://bitbucket.org. */
  publicUrl: string;
  /** baseApiUrl advertised in `installed` (default publicUrl; REST lives under /2.0 on the same server). */
  apiBaseUrl?: string;
  /** true (default): the small acme seed; 'large': it plus 500 generated repositories with 5,000 open PRs (see largeSeed). */
  seed?: boolean | 'large';
  largeSeed?: LargeSeedOptions;
  fetch?: typeof fetch;
  now?: () => Date;
  logger?: SandboxLogger;
  /** default [2000, 10000]: up to 3 attempts */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  /**
   * Derives each installation's shared secret instead of drawing a random one. The sandbox keeps
   * its state in memory, so after a restart it re-installs into an app that still holds the old
   * secret; a stable secret lets that reinstall be signed the way the app expects.
   */
  sharedSecretFor?: (clientKey: string) => string;
  /** Time per pipeline transition (PENDING → IN_PROGRESS → each step → COMPLETED); default 1500. */
  pipelineStepMs?: number;
  /** How long an async merge (`?async=true`) answers PENDING before it merges; default 1000. */
  asyncMergeMs?: number;
  /**
   * 'always' (default): failing merge checks refuse a merge. 'premium': only when an
   * `enforce_merge_checks` restriction matches (Bitbucket Premium); otherwise checks only warn.
   */
  enforceMergeChecks?: 'always' | 'premium';
  /** Requests per credential per rolling hour on /2.0/repositories/*; default 1000. 0 or Infinity disables. */
  rateLimitPerHour?: number;
  /** Requests per credential per rolling hour on webhook management (/hooks); default 1000. */
  webhooksRateLimitPerHour?: number;
  /** Send Retry-After on 429 (Bitbucket does not promise it); default true. */
  rateLimitRetryAfter?: boolean;
  /** Faults to install at start (see Faults.add). */
  faults?: FaultSpec[];
}

export type SandboxInstallation = Installation;

export interface Sandbox {
  app: express.Express;
  state: SandboxState;
  install(descriptorUrl: string, opts?: { workspace?: string; actorNickname?: string }): Promise<SandboxInstallation>;
  uninstall(clientKey: string): Promise<void>;
  actions: SandboxActions;
  /** OAuth 2.0 server: consumers, consent, tokens (sandbox/oauth/). */
  oauth: SandboxOAuth;
  deliveries: WebhookDeliveryRecord[];
  /** Per-route fault injection; also at POST/DELETE /_sandbox/faults. */
  faults: Faults;
  rateLimiter: RateLimiter | null;
  /** Every authenticated /2.0 request, per credential (`app:<clientKey>`, `user:<uuid>`). */
  requests: RequestCounter;
  /** Waits for pending webhook deliveries (pipelines and async merges keep running). */
  idle(): Promise<void>;
  /** Clears every timer (pipelines, async merges, fault latency) and waits for deliveries: call before a test ends. */
  close(): Promise<void>;
  listen(port: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const apiBaseUrl = (opts.apiBaseUrl ?? publicUrl).replace(/\/+$/, '');
  const now = opts.now ?? (() => new Date());
  const logger = opts.logger ?? createConsoleLogger();
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const state = createEmptyState();
  const seed = opts.seed ?? true;
  if (seed === 'large') loadSeed(state, createLargeSeedData(opts.largeSeed));
  else if (seed) {
    loadSeed(state, seedData);
    loadSeedPipelines(state, publicUrl);
  }
  const oauth = createOAuthServerFromOptions({ state, now, seed: seed !== false, options: opts });

  const ctx: ApiContext = { state, publicUrl, apiBaseUrl };
  const deliveries: WebhookDeliveryRecord[] = [];
  const webhooks = createWebhookDispatcher({
    state, fetch: doFetch, now, logger, deliveries,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [2000, 10000],
    timeoutMs: opts.webhookTimeoutMs ?? 10000,
  });
  const scheduler = createScheduler((err) => logger.error('sandbox timer failed', { error: err instanceof Error ? err.message : String(err) }));
  const actions = createActions({
    ctx, now, webhooks, scheduler,
    timings: { pipelineStepMs: opts.pipelineStepMs ?? 1500, asyncMergeMs: opts.asyncMergeMs ?? 1000, enforceMergeChecks: opts.enforceMergeChecks ?? 'always' },
  });
  const limit = opts.rateLimitPerHour ?? 1000;
  const rateLimiter = limit > 0 && Number.isFinite(limit) ? createRateLimiter({ limit, webhooksLimit: opts.webhooksRateLimitPerHour, now }) : null;
  const requests = createRequestCounter();
  const faults = createFaults();
  for (const spec of opts.faults ?? []) faults.add(spec);
  const installer = createInstaller({ ctx, fetch: doFetch, now, logger, sharedSecretFor: opts.sharedSecretFor });

  const app = express();
  app.disable('x-powered-by');
  app.use(faults.middleware);
  app.use(createFaultsRouter(faults));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(createOAuthRouter({ ctx, oauth, now }));
  app.use('/2.0', createRestRouter({ ctx, actions, now, rateLimiter: rateLimiter ?? undefined, sendRetryAfter: opts.rateLimitRetryAfter ?? true, requestCounter: requests }));
  app.use(createHostRouter({ ctx, actions, installer, now }));

  return {
    app,
    state,
    install: (url, o) => installer.install(url, o),
    uninstall: (clientKey) => installer.uninstall(clientKey),
    actions,
    oauth,
    deliveries,
    faults: { add: (spec) => faults.add(spec), remove: (id) => faults.remove(id), clear: () => faults.clear(), list: () => faults.list() },
    rateLimiter,
    requests,
    idle: () => webhooks.idle(),
    async close() {
      scheduler.clear();
      for (const t of faults.timers) clearTimeout(t);
      faults.timers.clear();
      await webhooks.idle();
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const server: Server = app.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve({
            url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`,
            close: () => new Promise<void>((r, j) => server.close((err) => (err ? j(err) : r()))),
          });
        });
        server.once('error', reject);
      });
    },
  };
}
