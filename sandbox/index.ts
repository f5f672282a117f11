import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createActions, type SandboxActions } from './actions/create-actions';
import { createInstaller } from './connect/create-installer';
import { createHostRouter } from './host/create-host-router';
import { createConsoleLogger, type SandboxLogger } from './logger';
import { createRestRouter } from './rest/create-rest-router';
import { loadSeed } from './seed/load-seed';
import { seedData } from './seed/seed-data';
import type { ApiContext } from './serialize/api-context';
import { createEmptyState } from './state/create-state';
import type { Installation, SandboxState } from './state/types';
import { createWebhookDispatcher, type WebhookDeliveryRecord } from './webhooks/create-webhook-dispatcher';

export type { SandboxActions, PullRequestRef, MergeStrategy } from './actions/create-actions';
export type { SandboxState, Installation, PullRequest, Repository, User, Workspace, CommitStatus } from './state/types';
export type { WebhookDeliveryRecord } from './webhooks/create-webhook-dispatcher';
export type { SandboxLogger } from './logger';
export { InstallError } from './connect/create-installer';
export { SandboxError } from './state/sandbox-error';
export { buildIframeUrl, substituteContext } from './connect/build-iframe-url';
export { hasScope, toEffectiveScopes } from './connect/scopes';

export interface SandboxOptions {
  /** The sandbox's own origin; plays https://bitbucket.org. */
  publicUrl: string;
  /** baseApiUrl advertised in `installed` (default publicUrl; REST lives under /2.0 on the same server). */
  apiBaseUrl?: string;
  seed?: boolean;
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
}

export type SandboxInstallation = Installation;

export interface Sandbox {
  app: express.Express;
  state: SandboxState;
  install(descriptorUrl: string, opts?: { workspace?: string; actorNickname?: string }): Promise<SandboxInstallation>;
  uninstall(clientKey: string): Promise<void>;
  actions: SandboxActions;
  deliveries: WebhookDeliveryRecord[];
  idle(): Promise<void>;
  listen(port: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const apiBaseUrl = (opts.apiBaseUrl ?? publicUrl).replace(/\/+$/, '');
  const now = opts.now ?? (() => new Date());
  const logger = opts.logger ?? createConsoleLogger();
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const state = createEmptyState();
  if (opts.seed ?? true) loadSeed(state, seedData);

  const ctx: ApiContext = { state, publicUrl, apiBaseUrl };
  const deliveries: WebhookDeliveryRecord[] = [];
  const webhooks = createWebhookDispatcher({
    state, fetch: doFetch, now, logger, deliveries,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [2000, 10000],
    timeoutMs: opts.webhookTimeoutMs ?? 10000,
  });
  const actions = createActions({ ctx, now, webhooks });
  const installer = createInstaller({ ctx, fetch: doFetch, now, logger, sharedSecretFor: opts.sharedSecretFor });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/2.0', createRestRouter({ ctx, actions, now }));
  app.use(createHostRouter({ ctx, actions, installer, now }));

  return {
    app,
    state,
    install: (url, o) => installer.install(url, o),
    uninstall: (clientKey) => installer.uninstall(clientKey),
    actions,
    deliveries,
    idle: () => webhooks.idle(),
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
