import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from './app';
import { createAutomation, type Automation } from './create-automation';
import { createCiServices } from './create-ci-services';
import { createMergeQueueServices } from './create-merge-queue-services';
import { createSqlMergeQueueStore } from './storage/sql-merge-queue-store';
import { createCiIntegrationViews } from './create-ci-integration-views';
import { createPolicyViews } from './create-policy-views';
import { createTemplateViews } from './create-template-views';
import { createRepositorySettingsMirror } from './create-repository-settings-mirror';
import { createDriftCheckJob } from './create-drift-check-job';
import { createPullRequestRulesPort, createRuleServices } from './create-rule-services';
import { createCiFailureCommentHandlers } from './create-ci-failure-comment';
import { toCiFailureCommentJobs } from './ci-failure-comment-jobs';
import { createWorkspaceMirrorServices } from './create-workspace-views';
import { createLifecycleSubscriber } from './create-lifecycle-subscriber';
import { createWorkspaceOverview } from './create-workspace-overview';
import { createTemplateBatchJob } from './create-template-batch-job';
import { createSqlWorkspaceMirrorReader } from './storage/sql-workspace-mirror-reader';
import { createMetricsRegistry } from './create-metrics';
import { createBudgetScope, createRateBudget } from './budget';
import { createScheduler, createSqlJobQueue, type Scheduler } from './jobs';
import {
  createKeyRing,
  createOAuthFlow,
  createOAuthTokenClient,
  createReloadingSecretBox,
  createSecretBox,
  createTokenVault,
  createUserClientFactory,
  deriveKey,
  loadOrCreateKeyFile,
  readKeyFileSync,
} from './auth';
import { createBitbucketClient } from './bitbucket';
import type { BosunConfig } from './config';
import { createInstallationClientFactory, createInstallationClientState, loadDescriptor } from './connect';
import { createForgeMergeCheck } from './create-forge-merge-check';
import { createHostUserClientFactory } from './create-host-user-clients';
import { createHostUserTokens } from './host';
import { createFitVerifier, createForgeAwareClientFactory, createForgeClients, createStoredForgeTokenCache } from './forge';
import type { Logger } from './log';
import { createSqlPolicyStore } from './storage/sql-policy-store';
import { createSqlReviewerCursorStore } from './storage/sql-reviewer-cursor-store';
import { createSqlRepositoryTemplateStore } from './storage/sql-repository-template-store';
import { createDatabase, createOAuthStateStore, createSqlBudgetStore, createSqlForgeAppTokenStore, createSqlMirrorStore, createTenantStore, createUserConnectionStore, createWebhookDeliveryStore, type Database } from './storage';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Services {
  deps: AppDeps;
  db: Database;
  automation: Automation;
  /** Recurring work (mirror sync and sweep): start it on every instance, it fires once per period. */
  scheduler: Scheduler;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  fetch?: typeof fetch;
  now?: () => Date;
  /** PostgreSQL schema (tests isolate runs this way). */
  schema?: string;
  clientDir?: string;
  descriptorFile?: string;
  /** Tests shorten the wait before an armed auto-merge is tried again. */
  transientRetryMs?: number;
  /** Tests shorten the merge queue's CI watch. */
  mergeQueueCiPollMs?: number;
}

/** Opens the database and key ring and builds everything createApp needs. */
export async function createServices(config: BosunConfig, logger: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const ring =
    config.encryptionKeys.length > 0
      ? createKeyRing(config.encryptionKeys)
      : await loadOrCreateKeyFile(config.dataDir, (file) =>
          logger.warn('Created a new encryption key file; back it up, or set BOSUN_ENCRYPTION_KEYS in production', { file }),
        );
  // With the key file, a rotation by another process adds keys this one must pick up.
  const box = config.encryptionKeys.length > 0 ? createSecretBox(ring) : createReloadingSecretBox(ring, () => readKeyFileSync(config.dataDir));
  const db = await createDatabase({ url: config.databaseUrl, logger, schema: overrides.schema });
  const descriptor = loadDescriptor(
    overrides.descriptorFile ?? path.join(PROJECT_ROOT, 'atlassian-connect.json'),
    config.baseUrl,
    config.appKey,
  );
  const doFetch = overrides.fetch ?? fetch;
  const now = overrides.now ?? (() => new Date());
  const tenants = createTenantStore(db, box);
  const connections = createUserConnectionStore(db);
  const tokens = config.oauthConsumer ? createOAuthTokenClient({ consumer: config.oauthConsumer, tokenUrl: config.bitbucket.tokenUrl, fetch: doFetch, now }) : null;
  const vault = createTokenVault({ connections, box, tokens, now, logger });
  const oauth = createOAuthFlow({
    consumer: config.oauthConsumer,
    tokens,
    states: createOAuthStateStore(db),
    vault,
    box,
    ticketKey: deriveKey(ring, 'oauth-start-tickets'),
    baseUrl: config.baseUrl,
    authorizeUrl: config.bitbucket.authorizeUrl,
    loadTenant: (clientKey) => tenants.get(clientKey),
    fetchProfile: async (tenant, accessToken) => {
      const client = createBitbucketClient({ baseApiUrl: tenant.baseApiUrl, auth: { kind: 'bearer', getAccessToken: async () => accessToken }, fetch: doFetch, logger });
      const [user, emails] = await Promise.all([client.users.getCurrent(), client.users.listEmails().catch(() => [])]);
      const primary = emails.find((e) => e.is_primary) ?? emails[0];
      return {
        uuid: user.uuid,
        accountId: user.account_id ?? null,
        displayName: user.display_name,
        nickname: user.nickname ?? null,
        avatarUrl: user.links?.avatar?.href ?? null,
        email: primary?.email ?? null,
      };
    },
    now,
    logger,
  });
  const deliveries = createWebhookDeliveryStore(db);
  const budget = createRateBudget({ store: createSqlBudgetStore(db), now });
  // The agent's installation and user clients charge the budget per call (create-automation binds each client to its lane).
  const budgetScope = createBudgetScope({ budget });
  // One JWT-grant token per tenant for every installation client factory of this process.
  const installationClientState = createInstallationClientState();
  const connectClients = createInstallationClientFactory({ fetch: budgetScope.wrapFetch(doFetch), state: installationClientState, logger, strategy: config.installationAuth, siteUrl: config.bitbucket.siteUrl });
  // Forge beside Connect: Forge tenants act with the app token their latest invocation carried, to
  // any instance: sealed in the database, read through a short in-memory copy.
  const forgeTokens = config.forge ? createStoredForgeTokenCache({ store: createSqlForgeAppTokenStore(db), box, nowMs: () => now().getTime() }) : null;
  const clients =
    config.forge && forgeTokens
      ? createForgeAwareClientFactory({ connect: connectClients, tokens: forgeTokens, appId: config.forge.appId, fetch: budgetScope.wrapFetch(doFetch), logger })
      : connectClients;
  const oauthUserClients = createUserClientFactory({ vault, connections, fetch: budgetScope.wrapFetch(doFetch), logger });
  // Forge tenants' people act with the x-forge-oauth-user token of their own request, held for it alone.
  const userTokens = config.forge ? createHostUserTokens() : null;
  const userClients = userTokens ? createHostUserClientFactory({ oauth: oauthUserClients, tokens: userTokens, fetch: budgetScope.wrapFetch(doFetch), logger }) : oauthUserClients;
  const mirrorStore = createSqlMirrorStore(db);
  const mirror = createWorkspaceMirrorServices({
    store: mirrorStore, tenants, clients, now, logger, fetch: doFetch, budget,
    // The same SQL queue createAutomation opens: a dashboard asks it for a repository's missing facts.
    queue: createSqlJobQueue(db, { now }),
    clientsWith: (budgetedFetch) => {
      const connectWith = createInstallationClientFactory({ fetch: budgetedFetch, state: installationClientState, logger, strategy: config.installationAuth, siteUrl: config.bitbucket.siteUrl });
      // Forge tenants' reads (sync, sweep, live views) are charged like Connect ones, with their app token.
      return config.forge && forgeTokens ? createForgeAwareClientFactory({ connect: connectWith, tokens: forgeTokens, appId: config.forge.appId, fetch: budgetedFetch, logger }) : connectWith;
    },
  });
  const ci = createCiServices({ db, box, tenants, clients, logger, now, reapAfterMs: config.ci.reapAfterMs });
  const templates = createSqlRepositoryTemplateStore(db, now);
  const settingsMirror = createRepositorySettingsMirror({ store: mirrorStore, now });
  const driftCheck = createDriftCheckJob({ templates, tenants, clients, now, settingsMirror, logger: logger.child({ component: 'drift-check' }) });
  // The same SQL queue createAutomation opens (the queue keeps no state outside the database).
  const templateBatch = createTemplateBatchJob({ queue: createSqlJobQueue(db, { now }), budget: { store: createSqlBudgetStore(db), policy: budget.policy }, templates, tenants, now, logger: logger.child({ component: 'template-batch' }) });
  // Automation rules (reviewers, bot PRs, stale, Bosun's statuses) as jobs through the automation's executor.
  // The failed-builds comment (policy rule buildFailures) after each commit status, through the same executor.
  const ciFailureComments = createCiFailureCommentHandlers({ policies: createSqlPolicyStore(db), tenants, clients, budgetScope, executor: () => automation.executor, logger: logger.child({ component: 'ci-failures' }) });
  const reviewerCursors = createSqlReviewerCursorStore(db);
  const rules = createRuleServices({ policies: createSqlPolicyStore(db), tenants, clients, deliveries, budgetScope, mirror: mirrorStore, cursors: reviewerCursors, executor: () => automation.executor, logger: logger.child({ component: 'rules' }), now });
  const mergeQueue = createMergeQueueServices({
    store: createSqlMergeQueueStore(db), policies: createSqlPolicyStore(db), tenants, deliveries, clients, queue: createSqlJobQueue(db, { now }), now, logger: logger.child({ component: 'merge-queue' }),
    executor: () => automation.executor,
    // The panel's and the dashboard's queue views read the PR and the repository from the mirror (issue 10).
    mirror: { store: mirrorStore, settled: () => mirror.settled() },
    ...(overrides.mergeQueueCiPollMs !== undefined ? { ciPollMs: overrides.mergeQueueCiPollMs } : {}),
  });
  const automation = createAutomation({
    mergeQueue,
    pullRequestRules: (queue) => createPullRequestRulesPort({ facts: rules.facts, cursors: reviewerCursors, queue, now }),
    ruleKinds: rules.ruleKinds,
    config, db, descriptor, tenants, deliveries, clients, userClients, fetch: doFetch, now, logger, budgetScope, settingsMirror,
    deliveryJobs: [...rules.deliveryJobs, toCiFailureCommentJobs],
    extraHandlers: { ...mirror.handlers, ...ci.handlers, ...driftCheck.handlers, ...templateBatch.handlers, ...mergeQueue.handlers, ...rules.handlers, ...ciFailureComments },
    ...(overrides.transientRetryMs !== undefined ? { transientRetryMs: overrides.transientRetryMs } : {}),
  });
  const scheduler = createScheduler({
    queue: automation.queue, jobs: [...mirror.recurring, driftCheck.recurring, ci.recurring, mergeQueue.recurring, rules.recurring], now, logger: logger.child({ component: 'scheduler' }),
    listTenants: async () => (await db.models.Tenant.findAll({ attributes: ['clientKey'], raw: true })).map((t) => t.clientKey),
  });
  const deps: AppDeps = {
    descriptor,
    allowedHosts: config.allowedHosts,
    production: config.env === 'production',
    site: { siteUrl: config.bitbucket.siteUrl, hostScriptUrl: config.bitbucket.hostScriptUrl },
    trustProxy: config.trustProxy,
    lifecycleRatePerMinute: config.lifecycleRatePerMinute,
    tenants,
    lifecycle: createLifecycleSubscriber({ tenants, queue: automation.queue, firstSync: mirror.firstSync, now, logger: logger.child({ component: 'lifecycle' }) }),
    deliveries,
    clients,
    userClients,
    automation: { ...automation, intake: mirror.withProjection(automation.intake) },
    views: mirror.views,
    metrics: createMetricsRegistry({ db, budget, mirror: mirrorStore, now }),
    ciIntake: ci.createIntake(automation.queue),
    ciIntegrations: ci.integrations,
    ciViews: createCiIntegrationViews({ integrations: ci.integrations, baseUrl: descriptor.baseUrl }),
    vault,
    oauth,
    mergeQueueViews: mergeQueue.views,
    policyViews: createPolicyViews({ policies: createSqlPolicyStore(db), tenants, clients, now, audit: automation.audit }),
    templateViews: createTemplateViews({ templates, tenants, clients, queue: automation.queue, settingsMirror, audit: automation.audit }),
    workspaceOverview: createWorkspaceOverview({ reader: createSqlWorkspaceMirrorReader(db), templates, now, settled: mirror.settled }),
    sessionKey: deriveKey(ring, 'session-tokens'),
    clientDir: overrides.clientDir ?? path.join(PROJECT_ROOT, 'dist', 'client'),
    logger,
    now,
    checkHealth: async () => {
      await db.sequelize.query('SELECT 1');
    },
    web: config.web,
    ...(config.forge && forgeTokens
      ? {
          forge: {
            appId: config.forge.appId,
            tokens: forgeTokens,
            verify: createFitVerifier({ appId: config.forge.appId, jwksUrl: config.forge.jwksUrl, fetch: doFetch, now }),
            clients: createForgeClients({ fetch: doFetch, logger }),
            mergeCheck: createForgeMergeCheck({ now }),
          },
          ...(userTokens ? { userTokens } : {}),
        }
      : {}),
  };
  return {
    deps,
    db,
    automation,
    scheduler,
    close: async () => {
      scheduler.stop();
      await automation.intake.close();
      await db.close();
    },
  };
}
