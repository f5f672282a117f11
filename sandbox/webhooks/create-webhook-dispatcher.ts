import { createHmac, randomUUID } from 'node:crypto';
import { hasScope, toEventScope } from '../connect/scopes';
import { joinAppUrl, signHostJwt } from '../connect/sign-jwt';
import { toBracedUuid } from '../state/ids';
import type { Installation, RepositoryWebhook, SandboxState } from '../state/types';
import type { SandboxLogger } from '../logger';

export interface WebhookDeliveryRecord {
  /** 'connect': an installed app's webhook module (wrapped body, JWT); 'repository': a plain /hooks subscription (unwrapped body). */
  kind: 'connect' | 'repository';
  requestUuid: string;
  hookUuid: string;
  /** '' for repository webhooks */
  clientKey: string;
  event: string;
  url: string;
  attempt: number;
  at: string;
  status?: number;
  error?: string;
}

export interface WebhookDispatcherDeps {
  state: SandboxState;
  fetch: typeof fetch;
  now: () => Date;
  logger: SandboxLogger;
  retryDelaysMs: number[];
  timeoutMs: number;
  deliveries: WebhookDeliveryRecord[];
}

export interface WebhookDispatcher {
  /**
   * Queues delivery to every matching installation of the workspace and, when `repoUuid` is given,
   * to the repository's own webhook subscriptions; never blocks the caller.
   */
  emit(event: string, workspaceUuid: string, data: Record<string, unknown>, repoUuid?: string): void;
  idle(): Promise<void>;
}

/** Stable per installation and webhook module, like the hook Bitbucket registers at install. */
export function toHookUuid(clientKey: string, event: string, url: string): string {
  return toBracedUuid(`${clientKey}|${event}|${url}`).slice(1, -1);
}

function isSubscribed(inst: Installation, event: string): Array<{ event: string; url: string }> {
  const hooks = inst.descriptor.modules?.webhooks ?? [];
  if (!hasScope(inst.descriptor.scopes ?? [], toEventScope(event))) return [];
  return hooks.filter((h) => h.event === event || h.event === '*');
}

export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const pending = new Set<Promise<void>>();

  interface Target {
    kind: WebhookDeliveryRecord['kind'];
    url: string;
    hookUuid: string;
    clientKey: string;
    body: string;
    /** Headers that depend on the target: JWT for apps, HMAC signature for secret-bearing hooks. */
    sign(): Record<string, string>;
  }

  const attemptOnce = async (target: Target, headers: Record<string, string>): Promise<{ status?: number; error?: string }> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
    try {
      const res = await deps.fetch(target.url, { method: 'POST', body: target.body, headers: { ...headers, ...target.sign() }, signal: controller.signal });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (err) {
      return { error: controller.signal.aborted ? `timeout after ${deps.timeoutMs}ms` : err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  };

  const deliver = async (target: Target, event: string): Promise<void> => {
    const requestUuid = randomUUID();
    const { url, hookUuid } = target;
    const maxAttempts = deps.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const now = deps.now();
      const result = await attemptOnce(target, {
        'Content-Type': 'application/json',
        'User-Agent': 'Bitbucket-Webhooks/2.0',
        'X-Event-Key': event,
        'X-Hook-UUID': hookUuid,
        'X-Request-UUID': requestUuid,
        'X-Attempt-Number': String(attempt),
        'X-Event-Time': now.toUTCString(),
      });
      deps.deliveries.push({ kind: target.kind, requestUuid, hookUuid, clientKey: target.clientKey, event, url, attempt, at: now.toISOString(), ...result });
      if (result.status !== undefined && result.status >= 200 && result.status < 300) return;
      const delay = deps.retryDelaysMs[attempt - 1];
      if (delay === undefined) {
        deps.logger.warn('webhook delivery failed, giving up', { event, url, requestUuid, attempt, ...result });
        return;
      }
      deps.logger.warn('webhook delivery failed, will retry', { event, url, requestUuid, attempt, ...result });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };

  const toConnectTarget = (inst: Installation, hook: { event: string; url: string }, event: string, data: Record<string, unknown>): Target => {
    const url = joinAppUrl(inst.descriptor.baseUrl, hook.url);
    return {
      kind: 'connect',
      url,
      hookUuid: toHookUuid(inst.clientKey, hook.event, hook.url),
      clientKey: inst.clientKey,
      body: JSON.stringify({ event, data }),
      sign: () => ({
        Authorization: `JWT ${signHostJwt({ method: 'POST', url, appBaseUrl: inst.descriptor.baseUrl, clientKey: inst.clientKey, sharedSecret: inst.sharedSecret, now: deps.now() })}`,
      }),
    };
  };

  /** Plain repository webhooks get the bare payload; a secret adds X-Hub-Signature (HMAC-SHA256 of the body). */
  const toRepositoryTarget = (hook: RepositoryWebhook, data: Record<string, unknown>): Target => {
    const body = JSON.stringify(data);
    return {
      kind: 'repository',
      url: hook.url,
      hookUuid: hook.uuid.replace(/^\{|\}$/g, ''),
      clientKey: '',
      body,
      sign: (): Record<string, string> => (hook.secret ? { 'X-Hub-Signature': `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}` } : {}),
    };
  };

  const track = (target: Target, event: string) => {
    const p: Promise<void> = deliver(target, event)
      .catch((err: unknown) => deps.logger.error('webhook delivery crashed', { event, error: String(err) }))
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  return {
    emit(event, workspaceUuid, data, repoUuid) {
      for (const inst of deps.state.installations) {
        if (inst.workspaceUuid !== workspaceUuid) continue;
        for (const hook of isSubscribed(inst, event)) track(toConnectTarget(inst, hook, event, data), event);
      }
      if (repoUuid === undefined) return;
      for (const hook of deps.state.repositoryWebhooks) {
        if (hook.repoUuid === repoUuid && hook.active && hook.events.includes(event)) track(toRepositoryTarget(hook, data), event);
      }
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
