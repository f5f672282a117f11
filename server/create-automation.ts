import {
  BUILT_IN_RULE_KINDS,
  createDefaultToolCatalog,
  createCommandPlanner,
  createExecutor,
  createLlmPlanner,
  createNameDirectory,
  createNamingAuditStore,
  createNaturalLanguagePlanner,
  createPlannerChain,
  createRuleKindRegistry,
  createRuleRecordDryRun,
  createToolCatalog,
  MissingScopesError,
  NotConnectedError,
  type AuditStore,
  type AutoMergeStore,
  type ClientResolver,
  type Executor,
  type NameDirectory,
  type Planner,
  type RuleKindRegistry,
  type ToolCatalog,
} from './agent';
import { UserAuthorizationError, type UserClientFactory } from './auth';
import type { BudgetLane, BudgetScope } from './budget';
import type { BosunConfig } from './config';
import type { ConnectDescriptor } from './connect';
import type { InstallationClientFactory } from './host';
import { AGENT_EXECUTE_JOB, createDeliveryIntake, createJobHandlers, createReceiver, createSqlJobQueue, createWorker, type DeliveryIntake, type DeliveryJobSource, type JobHandler, type JobQueue, type Receiver, type Worker } from './jobs';
import type { Logger } from './log';
import type { MergeRouteResolver } from './agent/planner/merge-when-green-planner';
import type { MergeQueuePort } from './agent/tools/merge-queue-port';
import { createPullRequestRulesTools } from './agent/tools/pull-request-rules';
import type { PullRequestRulesPort } from './agent/tools/pull-request-rules-port';
import type { RepositorySettingsMirror } from './agent/tools/repository-settings-mirror';
import { createSqlRepositoryTemplateStore } from './storage/sql-repository-template-store';
import { TEMPLATE_BATCH_TRIGGER } from './create-template-batch-job';
import { createAuditStore, createAutoMergeStore, createExecutionStore, createUserConnectionStore, type Database, type Tenant, type TenantStore, type WebhookDeliveryStore } from './storage';

export interface Automation {
  queue: JobQueue;
  intake: DeliveryIntake;
  executor: Executor;
  /** Free text from a panel: deterministic phrasings first, the LLM (when configured) after. */
  planner: Planner;
  tools: ToolCatalog;
  audit: AuditStore;
  /** Pending "merge when green" requests (the PR panel shows them with who armed them). */
  autoMerges: AutoMergeStore;
  /** Names for the ids triggers carry (repositories, people), cached. */
  names: NameDirectory;
  /** Starts this process's worker (not in createServices: tests and web-only instances choose). */
  createWorker(): Worker;
  /**
   * Runs a job's handler now, in the caller's request, with the worker's handlers and lanes: for work
   * that needs what only the request holds (a Forge person's token, which Bosun never stores).
   */
  receive: Receiver['receive'];
}

export interface AutomationInput {
  config: BosunConfig;
  db: Database;
  descriptor: ConnectDescriptor;
  tenants: TenantStore;
  deliveries: WebhookDeliveryStore;
  clients: InstallationClientFactory;
  userClients: UserClientFactory;
  fetch: typeof fetch;
  now: () => Date;
  logger: Logger;
  transientRetryMs?: number;
  /** Handlers wired elsewhere (the workspace mirror's scheduled jobs), run by the same worker. */
  extraHandlers?: Record<string, JobHandler>;
  /** Jobs a stored delivery calls for beyond its own (the rule automations'), written in the intake's transaction. */
  deliveryJobs?: readonly DeliveryJobSource[];
  /** The merge queue's tools (mergeQueue.*) and the policy's "merge via queue" for merge when green. */
  mergeQueue?: { port: MergeQueuePort; mergeRoute: MergeRouteResolver };
  /** The rule kinds wired (create-rule-services.ts): a dry-run record names one of them. Default: the built-in kinds. */
  ruleKinds?: RuleKindRegistry;
  /** The automation rules' tools (pullRequest.previewRules, pullRequest.runRules), over this automation's queue. */
  pullRequestRules?: (queue: JobQueue) => PullRequestRulesPort;
  /** Charges the agent's clients to the rate budget (the client factories' fetch must be its wrapFetch). */
  budgetScope?: BudgetScope;
  /** The mirror's copy of repository settings: template previews read it, applies keep it. */
  settingsMirror?: RepositorySettingsMirror;
}

/** The host page where a tenant's admins see Bosun's settings and audit log (the sandbox's and Bitbucket's URL shape). */
const hostPage = (tenant: Tenant, path: string) => `${tenant.baseUrl}/${path}`;

/** Wires the agent (tools, planners, executor) to jobs (queue, intake, worker, handlers). */
export function createAutomation(input: AutomationInput): Automation {
  const { db, logger, now } = input;
  const queue = createSqlJobQueue(db, { now });
  const intake = createDeliveryIntake({ db, now, logger, deliveryJobs: input.deliveryJobs ?? [] });
  const autoMerges = createAutoMergeStore(db);
  // Rules in dry-run record what they would do with rule.recordDryRun (the executor's catalog only: not offered to people).
  const tools = createToolCatalog([...createDefaultToolCatalog({ autoMerges, templates: createSqlRepositoryTemplateStore(db, now), ...(input.mergeQueue ? { mergeQueue: input.mergeQueue.port } : {}), ...(input.settingsMirror ? { settingsMirror: input.settingsMirror } : {}) }).tools, ...(input.pullRequestRules ? createPullRequestRulesTools({ rules: input.pullRequestRules(queue) }) : []), createRuleRecordDryRun(input.ruleKinds ?? createRuleKindRegistry(BUILT_IN_RULE_KINDS))]);

  // The job running this (below) says whose work it is; a call outside a job is a person's (a view, a panel check).
  const charged = <T extends object>(client: T, clientKey: string, credential: string): T =>
    input.budgetScope ? input.budgetScope.bind(client, { clientKey, credential, lane: input.budgetScope.currentLane() ?? 'people', purpose: 'agent' }) : client;
  const clients: ClientResolver = {
    async forInstallation(clientKey, context) {
      const tenant = await input.tenants.getWithSecret(clientKey);
      if (!tenant) throw new Error('Bosun is no longer installed in this workspace');
      return charged(input.clients.forTenant(tenant, context), clientKey, 'installation');
    },
    async forUser(clientKey, userUuid, requiredScopes, context) {
      const tenant = await input.tenants.get(clientKey);
      if (!tenant) throw new Error('Bosun is no longer installed in this workspace');
      // The vault's words, in the agent's types (the executor words them for people), both before
      // the client exists and when a token cannot be had mid-run (a refused refresh).
      const toAgentError = (err: unknown): unknown => {
        if (err instanceof UserAuthorizationError && err.reason === 'missing_scopes') {
          return new MissingScopesError(err.message, { requiredScopes, missingScopes: err.requiredScopes, actsAs: 'user' });
        }
        if (err instanceof UserAuthorizationError) return new NotConnectedError(err.message, { userUuid, requiredScopes });
        return err;
      };
      try {
        const client = await input.userClients.forUser(tenant, userUuid, requiredScopes, { mapTokenError: toAgentError, deliveryId: context?.deliveryId });
        return charged(client, clientKey, `user:${userUuid}`);
      } catch (err) {
        throw toAgentError(err);
      }
    },
  };

  // Entries name repositories and people as people read them, whatever ids the trigger carried.
  const connections = createUserConnectionStore(db);
  const names = createNameDirectory({
    clients,
    knownPerson: async (clientKey, userUuid) => {
      const connection = await connections.get(clientKey, userUuid);
      return connection ? { displayName: connection.displayName, nickname: connection.nickname } : null;
    },
    workspaceOf: async (clientKey) => {
      const tenant = await input.tenants.get(clientKey);
      return tenant?.workspaceUuid ?? tenant?.workspaceSlug ?? null;
    },
    now,
    logger,
  });
  const audit = createNamingAuditStore(createAuditStore(db), names);

  const executor = createExecutor({
    tools,
    clients,
    audit,
    executions: createExecutionStore(db),
    logger,
    now,
    installationScopes: input.descriptor.scopes,
    leaseMs: input.config.jobs.executionLeaseMs,
    requireWriteAccess: true,
  });
  const naturalLanguage = createNaturalLanguagePlanner();
  const planner = input.config.llm
    ? createPlannerChain([naturalLanguage, createLlmPlanner({ ...input.config.llm, fetch: input.fetch, logger })])
    : naturalLanguage;
  const commandPlanner = createCommandPlanner({ ask: planner });
  const settingsPage = (tenant: Tenant) =>
    hostPage(tenant, `${tenant.workspaceSlug ?? ''}/workspace/settings/addon/${tenant.appKey}/bosun-admin-settings`);
  const handlers = createJobHandlers({
    tenants: input.tenants,
    autoMerges,
    audit,
    executor,
    tools,
    commandPlanner,
    clients,
    queue,
    links: {
      auditLog: settingsPage,
      personalSettings: (tenant) => hostPage(tenant, `account/settings/addon/${tenant.appKey}/bosun-personal-settings`),
    },
    logger,
    now,
    ...(input.transientRetryMs !== undefined ? { transientRetryMs: input.transientRetryMs } : {}),
    ...(input.mergeQueue ? { mergeRoute: input.mergeQueue.mergeRoute } : {}),
  });

  // Lanes of the budget: a plan a person confirmed (panel, Ask Bosun) runs in theirs; rules, webhooks
  // and comment commands are automation, and so are a bulk template apply's per-repository applies
  // (their batch checked the automation lane before releasing them; they count their own requests).
  const laneOf = (type: string, job: { payload: unknown }): BudgetLane => {
    if (type !== AGENT_EXECUTE_JOB) return 'automation';
    const payload = job.payload as { plan?: { source?: unknown }; trigger?: { kind?: unknown } } | null;
    if (payload?.trigger?.kind === TEMPLATE_BATCH_TRIGGER) return 'automation';
    const source = payload?.plan?.source;
    return source === 'rule' || source === 'webhook' ? 'automation' : 'people';
  };
  const scope = input.budgetScope;
  const all: Record<string, JobHandler> = { ...handlers, ...input.extraHandlers };
  const laned: Record<string, JobHandler> = scope
    ? Object.fromEntries(Object.entries(all).map(([type, handler]): [string, JobHandler] => [type, (job, ctx) => scope.runInLane(laneOf(type, job), () => handler(job, ctx))]))
    : all;

  const receiver = createReceiver(laned, { logger: logger.child({ component: 'receive' }), now });
  return {
    receive: (event) => receiver.receive(event),
    queue,
    intake,
    executor,
    planner,
    tools,
    audit,
    autoMerges,
    names,
    createWorker: () =>
      createWorker({
        queue,
        handlers: laned,
        concurrency: Math.max(1, input.config.workerConcurrency),
        pollIntervalMs: input.config.jobs.pollIntervalMs,
        leaseMs: input.config.jobs.leaseMs,
        logger: logger.child({ component: 'worker' }),
        now,
      }),
  };
}
