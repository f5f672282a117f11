import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryAuditStore, createMemoryExecutionStore, createToolCatalog } from '../../../server/agent';
import { alice, createFakeResolver, createTickingClock, silentLogger, tenant } from './agent-fakes';

describe('executor.recordAction: what Bosun did outside a tool, audited by the executor only', () => {
  it('writes one audit entry per idempotency key, with the actor, trigger and action', async () => {
    const audit = createMemoryAuditStore();
    const resolver = createFakeResolver();
    const executor = createExecutor({
      tools: createToolCatalog([]), clients: resolver, audit, executions: createMemoryExecutionStore(), logger: silentLogger, now: createTickingClock(), installationScopes: [],
    });
    const action = {
      idempotencyKey: 'disconnect:alice:1',
      trigger: { kind: 'panel', ref: 'personal-settings' },
      source: 'button' as const,
      summary: 'Disconnect my Bitbucket account',
      action: 'account.disconnect',
      message: 'Bosun deleted this person’s Bitbucket tokens.',
      startedAt: new Date('2026-03-01T10:00:00Z'),
    };
    const first = await executor.recordAction(action, { tenant, actor: alice });
    const again = await executor.recordAction(action, { tenant, actor: alice });
    expect(again.id).toBe(first.id);
    const { entries } = await audit.list(tenant.clientKey, {});
    expect(entries.map((e) => [e.outcome, e.tools, e.planSummary, e.actor.userUuid, e.trigger.kind, e.steps])).toEqual([
      ['succeeded', ['account.disconnect'], 'Disconnect my Bitbucket account', alice.userUuid, 'panel', []],
    ]);
    // Nothing was asked of Bitbucket.
    expect(resolver.calls).toEqual([]);
  });
});
