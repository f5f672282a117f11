import {
  createExecutor,
  createMemoryAuditStore,
  createMemoryAutoMergeStore,
  createMemoryExecutionStore,
  createToolCatalog,
  type AnyTool,
  type AuditStore,
  type ClientResolver,
  type Executor,
  type Planner,
} from '../../../../server/agent';
import type { BitbucketClient } from '../../../../server/bitbucket';
import { parseWebhookData } from '../../../../server/bitbucket/webhooks';
import type { Tenant, TenantStore, WebhookCommentEvent } from '../../../../server/host';
import { createJobHandlers, createMemoryJobQueue, createReceiver, type AutomationInput, type WebhookCommentJob } from '../../../../server/jobs';
import { createTickingClock, silentLogger } from '../../agent/agent-fakes';

/**
 * The one setup every handler test through `receive()` shares: in-memory tenants that count their
 * reads, the executor over the given tools, and the receiver over `createJobHandlers` (which has no
 * stored-delivery port: a handler's event travels in its job).
 */
export function toTestTenant(clientKey: string, over: Partial<Tenant> = {}): Tenant {
  return {
    clientKey,
    installId: 'install-1',
    host: 'connect',
    appKey: 'bosun',
    baseUrl: 'https://bitbucket.example',
    baseApiUrl: 'https://api.bitbucket.example',
    workspaceUuid: '{00000000-0000-4000-8000-0000000000aa}',
    workspaceSlug: 'acme',
    workspaceName: 'Acme',
    installedByUuid: null,
    installedByAccountId: null,
    installedAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

/** In-memory tenants that count how often a handler asks for one. */
export function createCountingTenants(tenants: Tenant[]): TenantStore & { reads: number } {
  const store = {
    reads: 0,
    async get(clientKey: string) {
      store.reads += 1;
      return tenants.find((t) => t.clientKey === clientKey) ?? null;
    },
    async getWithSecret(clientKey: string) {
      store.reads += 1;
      const t = tenants.find((x) => x.clientKey === clientKey);
      return t ? { ...t, sharedSecret: 'secret' } : null;
    },
    async ensure(): Promise<Tenant> {
      throw new Error('not in these tests');
    },
    async purge() {},
  };
  return store;
}

export interface CommentFixture {
  raw: string;
  /** The comment's author (and the event's actor), as Bitbucket names them. */
  user?: Record<string, unknown>;
  repositoryUuid: string;
  fullName?: string;
  pullRequestId?: number;
  commentId?: number;
}

/** A `pullrequest:comment_created` event as Bitbucket sends it. */
export function toCommentWebhookData(f: CommentFixture): Record<string, unknown> {
  const user = f.user ?? { type: 'user', uuid: '{a11ce000-0000-4000-8000-000000000001}', account_id: '712020:alice', display_name: 'Alice' };
  return {
    actor: user,
    repository: { type: 'repository', uuid: f.repositoryUuid, full_name: f.fullName ?? 'acme/web' },
    pullrequest: {
      type: 'pullrequest', id: f.pullRequestId ?? 3, title: 'Add search', state: 'OPEN', author: user,
      reviewers: [{ type: 'user', uuid: '{b0b00000-0000-4000-8000-000000000002}', display_name: 'Bob', nickname: 'bob' }],
      source: { branch: { name: 'feature/search' } }, destination: { branch: { name: 'main' } },
    },
    comment: { id: f.commentId ?? 41, content: { raw: f.raw }, user },
  };
}

/** A comment job's payload as the intake writes it: the event parsed by the edge's own schema (parseWebhookData). */
export function toCommentJobPayload(requestUuid: string, f: CommentFixture): WebhookCommentJob {
  const event: WebhookCommentEvent | null = parseWebhookData('pullrequest:comment_created', toCommentWebhookData(f)).comment;
  if (!event) throw new Error('the edge parsed no comment');
  return { requestUuid, event };
}

export interface HandlerHarnessOptions {
  tenants: Tenant[];
  tools: AnyTool[];
  client: BitbucketClient;
  planner?: Planner;
  audit?: AuditStore;
  installationScopes?: string[];
  requireWriteAccess?: boolean;
  /** The clock the handlers and executor read (a test that drives other parts with it passes its own). */
  now?: () => Date;
  extra?: Partial<AutomationInput>;
}

const noPlanner = { plan: async () => ({ error: 'not in these tests', suggestions: [] }) } as unknown as Planner;

/** The executor, handlers and receiver over in-memory stores; `made` lists the installation clients asked for. */
export function createHandlerHarness(opts: HandlerHarnessOptions) {
  const tenants = createCountingTenants(opts.tenants);
  const audit = opts.audit ?? createMemoryAuditStore();
  const autoMerges = createMemoryAutoMergeStore();
  const made: string[] = [];
  const clients: ClientResolver = {
    forInstallation: async (clientKey) => {
      made.push(`installation:${clientKey}`);
      return opts.client;
    },
    forUser: async (_clientKey, userUuid) => {
      made.push(`user:${userUuid}`);
      return opts.client;
    },
  };
  const now = opts.now ?? createTickingClock();
  const catalog = createToolCatalog(opts.tools);
  const executor: Executor = createExecutor({
    tools: catalog, clients, audit, executions: createMemoryExecutionStore(), logger: silentLogger, now,
    installationScopes: opts.installationScopes ?? ['pullrequest:write', 'pullrequest', 'repository'],
    ...(opts.requireWriteAccess ? { requireWriteAccess: true } : {}),
  });
  const queue = createMemoryJobQueue({ now });
  const deps: AutomationInput = {
    tenants, autoMerges, audit, executor, tools: catalog, commandPlanner: opts.planner ?? noPlanner, clients, queue,
    links: { auditLog: () => 'https://bosun.example/audit', personalSettings: () => 'https://bosun.example/me' },
    logger: silentLogger, now,
    ...opts.extra,
  };
  const receiver = createReceiver(createJobHandlers(deps), { logger: silentLogger, now });
  return { receiver, tenants, audit, autoMerges, queue, made, executor, now };
}
