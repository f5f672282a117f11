import { randomUUID } from 'node:crypto';
import { hasScope, toEventScope } from '../connect/scopes';
import { joinAppUrl, signHostJwt } from '../connect/sign-jwt';
import { toBracedUuid } from '../state/ids';
import type { Installation, SandboxState } from '../state/types';
import type { SandboxLogger } from '../logger';

export interface WebhookDeliveryRecord {
  requestUuid: string;
  hookUuid: string;
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
  /** Queues delivery to every matching installation of the workspace; never blocks the caller. */
  emit(event: string, workspaceUuid: string, data: Record<string, unknown>): void;
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

  const attemptOnce = async (inst: Installation, url: string, body: string, headers: Record<string, string>): Promise<{ status?: number; error?: string }> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
    try {
      const jwt = signHostJwt({ method: 'POST', url, appBaseUrl: inst.descriptor.baseUrl, clientKey: inst.clientKey, sharedSecret: inst.sharedSecret, now: deps.now() });
      const res = await deps.fetch(url, { method: 'POST', body, headers: { ...headers, Authorization: `JWT ${jwt}` }, signal: controller.signal });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (err) {
      return { error: controller.signal.aborted ? `timeout after ${deps.timeoutMs}ms` : err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  };

  const deliver = async (inst: Installation, hook: { event: string; url: string }, event: string, data: Record<string, unknown>): Promise<void> => {
    const url = joinAppUrl(inst.descriptor.baseUrl, hook.url);
    const requestUuid = randomUUID();
    const hookUuid = toHookUuid(inst.clientKey, hook.event, hook.url);
    const body = JSON.stringify({ event, data });
    const maxAttempts = deps.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const now = deps.now();
      const result = await attemptOnce(inst, url, body, {
        'Content-Type': 'application/json',
        'User-Agent': 'Bitbucket-Webhooks/2.0',
        'X-Event-Key': event,
        'X-Hook-UUID': hookUuid,
        'X-Request-UUID': requestUuid,
        'X-Attempt-Number': String(attempt),
        'X-Event-Time': now.toUTCString(),
      });
      deps.deliveries.push({ requestUuid, hookUuid, clientKey: inst.clientKey, event, url, attempt, at: now.toISOString(), ...result });
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

  return {
    emit(event, workspaceUuid, data) {
      for (const inst of deps.state.installations) {
        if (inst.workspaceUuid !== workspaceUuid) continue;
        for (const hook of isSubscribed(inst, event)) {
          const p: Promise<void> = deliver(inst, hook, event, data)
            .catch((err: unknown) => deps.logger.error('webhook delivery crashed', { event, error: String(err) }))
            .finally(() => pending.delete(p));
          pending.add(p);
        }
      }
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
