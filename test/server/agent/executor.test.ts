import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfirmationRequiredError,
  createExecutor,
  createMemoryAuditStore,
  createMemoryExecutionStore,
  createToolCatalog,
  defineTool,
  MissingScopesError,
  NotConnectedError,
  type AnyTool,
  type ClientResolver,
  type Plan,
} from '../../../server/agent';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError } from '../../../server/bitbucket';
import { alice, createFakeResolver, createRecordingTool, createTickingClock, silentLogger, tenant } from './agent-fakes';

const target = { method: 'POST', path: '/repositories/acme/web/pullrequests/12/merge' };

function setup(tools: AnyTool[], opts: { clients?: ClientResolver; installationScopes?: string[] } = {}) {
  const audit = createMemoryAuditStore();
  const executions = createMemoryExecutionStore();
  const clients = opts.clients ?? createFakeResolver();
  const executor = createExecutor({
    tools: createToolCatalog(tools),
    clients,
    audit,
    executions,
    logger: silentLogger,
    now: createTickingClock(),
    installationScopes: opts.installationScopes ?? ['account', 'pullrequest:write', 'pipeline:write'],
    waitForRunning: { timeoutMs: 5_000, intervalMs: 5 },
  });
  return { executor, audit, executions, clients };
}

const ctx = { tenant, actor: alice };

/** A tool that notes the step attempt the executor gave it. */
function stepRecordingTool(name: string, seen: Array<{ key: string; mayBeApplied: boolean } | undefined>): AnyTool {
  return defineTool({
    name,
    description: name,
    input: z.object({ repo: z.string() }),
    scopes: ['repository'],
    actsAs: 'installation',
    risk: 'write',
    async run(toolCtx) {
      seen.push(toolCtx.step ? { key: toolCtx.step.idempotencyKey, mayBeApplied: toolCtx.step.mayBeApplied } : undefined);
      return { summary: `${name} done.`, links: [] };
    },
  }) as AnyTool;
}
const run = (key: string, confirmed = false) => ({ idempotencyKey: key, confirmed, trigger: { kind: 'pullrequest:comment_created', ref: 'delivery-1' } });
const plan = (steps: Plan['steps'], summary = 'test plan'): Plan => ({ steps, summary, source: 'command' });

describe('executor', () => {
  it('runs steps in order and records one audit entry', async () => {
    const a = createRecordingTool('test.a');
    const b = createRecordingTool('test.b');
    const { executor, audit } = setup([a, b]);
    const result = await executor.execute(
      plan([
        { tool: 'test.a', input: { repo: 'web', value: 'one' } },
        { tool: 'test.b', input: { repo: 'web', value: 'two' } },
      ]),
      ctx,
      run('k1'),
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.replayed).toBe(false);
    expect(result.message).toBe('test.a did one. test.b did two.');
    expect(result.steps.map((s) => [s.tool, s.outcome])).toEqual([['test.a', 'succeeded'], ['test.b', 'succeeded']]);
    expect(a.runs).toHaveLength(1);
    expect(b.runs).toHaveLength(1);
    const entries = audit.all();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      clientKey: tenant.clientKey,
      idempotencyKey: 'k1',
      actor: alice,
      trigger: { kind: 'pullrequest:comment_created', ref: 'delivery-1' },
      source: 'command',
      planSummary: 'test plan',
      repositories: ['acme/web'],
      tools: ['test.a', 'test.b'],
      outcome: 'succeeded',
    });
    expect(entries[0]?.steps[0]?.links).toEqual([{ label: 'thing', url: 'https://example.test/web' }]);
    expect(entries[0]?.durationMs).toBeGreaterThan(0);
  });

  it('strips secrets from the inputs it audits', async () => {
    const tool = createRecordingTool('test.secret');
    const { executor, audit } = setup([tool]);
    await executor.execute(
      plan([
        {
          tool: 'test.secret',
          input: { repo: 'web', token: 'hunter2', variables: [{ key: 'PASSWORD_FREE', value: 'plain' }, { key: 'DEPLOY', value: 's3cr3t', secured: true }] },
        },
      ]),
      ctx,
      run('k-secret'),
    );
    const text = JSON.stringify(audit.all());
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('plain');
    // The tool itself still got the real values.
    expect(tool.runs[0]).toMatchObject({ token: 'hunter2' });
  });

  it('returns the first outcome for a repeated idempotency key and runs nothing', async () => {
    const tool = createRecordingTool('test.once');
    const { executor, audit } = setup([tool]);
    const first = await executor.execute(plan([{ tool: 'test.once', input: { repo: 'web' } }]), ctx, run('same'));
    const second = await executor.execute(plan([{ tool: 'test.once', input: { repo: 'web' } }]), ctx, run('same'));
    expect(tool.runs).toHaveLength(1);
    expect(second.replayed).toBe(true);
    expect(second.id).toBe(first.id);
    expect(second.message).toBe(first.message);
    expect(audit.all()).toHaveLength(1);
  });

  it('runs once when three executes with one key arrive together', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tool = createRecordingTool('test.slow', {
      behaviour: async () => {
        await gate;
        return { summary: 'slow done.', links: [] };
      },
    });
    const { executor, audit } = setup([tool]);
    const p = plan([{ tool: 'test.slow', input: { repo: 'web' } }]);
    const all = Promise.all([executor.execute(p, ctx, run('race')), executor.execute(p, ctx, run('race')), executor.execute(p, ctx, run('race'))]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    const results = await all;
    expect(tool.runs).toHaveLength(1);
    expect(audit.all()).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.replayed)).toHaveLength(2);
    expect(results.every((r) => r.outcome === 'succeeded')).toBe(true);
  });

  it('takes over a run whose lease ran out (its process died), exactly once, telling the step it may have been applied', async () => {
    const seen: Array<{ key: string; mayBeApplied: boolean } | undefined> = [];
    const tool = stepRecordingTool('test.once', seen);
    const { executor, executions, audit } = setup([tool]);
    // A run that never finished and stopped renewing its lease: its process was killed mid-run.
    await executions.claim(
      { clientKey: tenant.clientKey, idempotencyKey: 'crashed', source: 'command', planSummary: 'x', owner: 'dead-process', leaseExpiresAt: new Date(Date.UTC(2020, 0, 1)) },
      new Date(Date.UTC(2020, 0, 1)),
    );
    const p = plan([{ tool: 'test.once', input: { repo: 'web' } }]);
    const [a, b] = await Promise.all([executor.execute(p, ctx, run('crashed')), executor.execute(p, ctx, run('crashed'))]);
    expect(seen).toEqual([{ key: 'crashed#1', mayBeApplied: true }]);
    expect(audit.all()).toHaveLength(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await executions.get(tenant.clientKey, 'crashed')).toMatchObject({ state: 'finished', outcome: 'succeeded' });
  });

  it('waits out a dead run\'s lease that ends after its usual wait, and takes over in the same call', async () => {
    const clock = { t: Date.UTC(2026, 2, 1) };
    const executions = createMemoryExecutionStore();
    const tool = createRecordingTool('test.once');
    const executor = createExecutor({
      tools: createToolCatalog([tool]), clients: createFakeResolver(), audit: createMemoryAuditStore(), executions, logger: silentLogger,
      now: () => new Date(clock.t), installationScopes: ['repository'], leaseMs: 1_000,
      waitForRunning: { timeoutMs: 100, intervalMs: 50 },
      sleep: async (ms) => void (clock.t += ms),
    });
    await executions.claim(
      { clientKey: tenant.clientKey, idempotencyKey: 'dying', source: 'command', planSummary: 'x', owner: 'killed', leaseExpiresAt: new Date(clock.t + 900) },
      new Date(clock.t),
    );
    const result = await executor.execute(plan([{ tool: 'test.once', input: { repo: 'web' } }]), ctx, run('dying'));
    expect(result).toMatchObject({ outcome: 'succeeded', replayed: false });
    expect(tool.runs).toHaveLength(1);
    expect(clock.t).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 1) + 900);
  });

  it('a first run tells each step it has not been applied, with a key per step', async () => {
    const seen: Array<{ key: string; mayBeApplied: boolean } | undefined> = [];
    const { executor } = setup([stepRecordingTool('test.a', seen), stepRecordingTool('test.b', seen)]);
    await executor.execute(plan([{ tool: 'test.a', input: { repo: 'web' } }, { tool: 'test.b', input: { repo: 'web' } }]), ctx, run('fresh'));
    expect(seen).toEqual([{ key: 'fresh#1', mayBeApplied: false }, { key: 'fresh#2', mayBeApplied: false }]);
  });

  it('does not take over a run that keeps renewing its lease, however long it runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tool = createRecordingTool('test.long', { behaviour: async () => (await gate, { summary: 'long done.', links: [] }) });
    const clock = { t: Date.UTC(2026, 2, 1) };
    const now = () => new Date(clock.t);
    let owner = '';
    const executions = createMemoryExecutionStore();
    const audit = createMemoryAuditStore();
    const executor = createExecutor({
      tools: createToolCatalog([tool]), clients: createFakeResolver(), audit, executions, logger: silentLogger, now,
      installationScopes: ['repository'], leaseMs: 1_000, waitForRunning: { timeoutMs: 60_000, intervalMs: 1 },
      // Each wait of the repeat moves the clock on 100 ms; the first run renews through the store meanwhile.
      sleep: async () => {
        clock.t += 100;
        await executions.renew(tenant.clientKey, 'long', owner, new Date(clock.t + 1_000));
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    const p = plan([{ tool: 'test.long', input: { repo: 'web' } }]);
    const first = executor.execute(p, ctx, run('long'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    owner = (await executions.get(tenant.clientKey, 'long'))?.owner ?? '';
    expect(owner).not.toBe('');
    // The repeat waits through 20 s of clock (20 leases) and never takes over; then the first finishes.
    const repeat = executor.execute(p, ctx, run('long'));
    while (clock.t < Date.UTC(2026, 2, 1) + 20_000) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    const [a, b] = await Promise.all([first, repeat]);
    expect(tool.runs).toHaveLength(1);
    expect(a.replayed).toBe(false);
    expect(b).toMatchObject({ replayed: true, id: a.id });
    expect(audit.all()).toHaveLength(1);
  });

  it('a run whose lease was taken over starts no further step and records nothing', async () => {
    const executions = createMemoryExecutionStore();
    const audit = createMemoryAuditStore();
    const clock = { t: Date.UTC(2026, 2, 1) };
    const first = createRecordingTool('test.first', {
      behaviour: async () => {
        // This process stalls past its lease; another run takes the execution over meanwhile.
        clock.t += 5_000;
        expect(await executions.takeOver(tenant.clientKey, 'stalled', { owner: 'other', leaseExpiresAt: new Date(clock.t + 1_000), now: new Date(clock.t) })).toBe(true);
        return { summary: 'first done.', links: [] };
      },
    });
    const second = createRecordingTool('test.second');
    const executor = createExecutor({
      tools: createToolCatalog([first, second]), clients: createFakeResolver(), audit, executions, logger: silentLogger,
      now: () => new Date(clock.t), installationScopes: ['repository'], leaseMs: 1_000,
    });
    const p = plan([{ tool: 'test.first', input: { repo: 'web' } }, { tool: 'test.second', input: { repo: 'web' } }]);
    await expect(executor.execute(p, ctx, run('stalled'))).rejects.toMatchObject({ code: 'AGENT_EXECUTION_TAKEN_OVER' });
    expect(first.runs).toHaveLength(1);
    expect(second.runs).toHaveLength(0);
    expect(audit.all()).toHaveLength(0);
    expect(await executions.get(tenant.clientKey, 'stalled')).toMatchObject({ state: 'running', owner: 'other' });
  });

  it('refuses a step aimed at another workspace than the installation\'s, running nothing', async () => {
    const tool = createRecordingTool('test.once');
    const { executor } = setup([tool]);
    const p = plan([{ tool: 'test.once', input: { repo: 'web', workspace: 'someone-else' } }]);
    expect(executor.preview(p, ctx).problems.join(' ')).toContain('only in the workspace it is installed in');
    const result = await executor.execute(p, ctx, run('other-ws'));
    expect(result.outcome).toBe('refused');
    expect(tool.runs).toHaveLength(0);
  });

  it('keeps one key per tenant: another tenant with the same key runs', async () => {
    const tool = createRecordingTool('test.t');
    const { executor } = setup([tool]);
    await executor.execute(plan([{ tool: 'test.t', input: { repo: 'web' } }]), ctx, run('shared'));
    await executor.execute(plan([{ tool: 'test.t', input: { repo: 'web' } }]), { ...ctx, tenant: { clientKey: 'other', workspace: 'acme' } }, run('shared'));
    expect(tool.runs).toHaveLength(2);
  });

  describe('confirmation', () => {
    it('refuses a destructive step without confirmation, runs nothing and keeps the key free', async () => {
      const tool = createRecordingTool('test.delete', { risk: 'destructive' });
      const { executor, audit } = setup([tool]);
      const p = plan([{ tool: 'test.delete', input: { repo: 'web' } }]);
      const preview = executor.preview(p, ctx);
      expect(preview).toMatchObject({ valid: true, needsConfirmation: true });
      expect(preview.confirmationReasons).toEqual(['test.delete cannot be undone']);
      await expect(executor.execute(p, ctx, run('c1'))).rejects.toBeInstanceOf(ConfirmationRequiredError);
      expect(tool.runs).toHaveLength(0);
      expect(audit.all()).toHaveLength(0);
      const confirmed = await executor.execute(p, ctx, run('c1', true));
      expect(confirmed.outcome).toBe('succeeded');
      expect(tool.runs).toHaveLength(1);
    });

    it('needs confirmation when steps touch more than one repository', async () => {
      const tool = createRecordingTool('test.write');
      const { executor } = setup([tool]);
      const p = plan([
        { tool: 'test.write', input: { repo: 'web' } },
        { tool: 'test.write', input: { repo: 'api' } },
      ]);
      const preview = executor.preview(p, ctx);
      expect(preview.repositories).toEqual(['acme/web', 'acme/api']);
      expect(preview.confirmationReasons).toEqual(['it touches 2 repositories (acme/web, acme/api)']);
      await expect(executor.execute(p, ctx, run('m1'))).rejects.toMatchObject({ code: 'AGENT_CONFIRMATION_REQUIRED' });
    });

    it('does not need confirmation for writes to one repository', () => {
      const tool = createRecordingTool('test.write');
      const { executor } = setup([tool]);
      const preview = executor.preview(
        plan([
          { tool: 'test.write', input: { repo: 'web' } },
          { tool: 'test.write', input: { workspace: 'acme', repo: 'web' } },
        ]),
        ctx,
      );
      expect(preview.needsConfirmation).toBe(false);
    });
  });

  describe('preview and validation', () => {
    it('validates each step against its schema without running anything', () => {
      const tool = createRecordingTool('test.v');
      const { executor, clients } = setup([tool]);
      const preview = executor.preview(
        plan([
          { tool: 'test.v', input: { repo: 'web' } },
          { tool: 'test.v', input: { repo: 42 } },
          { tool: 'nope.nothing', input: {} },
        ]),
        ctx,
      );
      expect(preview.valid).toBe(false);
      expect(preview.steps.map((s) => s.valid)).toEqual([true, false, false]);
      expect(preview.steps[0]).toMatchObject({ risk: 'write', actsAs: 'installation', scopes: ['repository'], repository: 'acme/web' });
      expect(preview.problems[0]).toMatch(/Step 2 \(test\.v\): repo: /);
      expect(preview.problems[1]).toBe('Step 3: there is no tool named "nope.nothing"');
      expect(tool.runs).toHaveLength(0);
      expect((clients as ReturnType<typeof createFakeResolver>).calls).toEqual([]);
    });

    it('records an invalid plan as refused', async () => {
      const tool = createRecordingTool('test.v');
      const { executor } = setup([tool]);
      const result = await executor.execute(plan([{ tool: 'nope.nothing', input: {} }]), ctx, run('bad'));
      expect(result.outcome).toBe('refused');
      expect(result.message).toContain('there is no tool named "nope.nothing"');
      expect(tool.runs).toHaveLength(0);
    });
  });

  describe('scopes', () => {
    it('refuses before running anything when the installation lacks a scope', async () => {
      const ok = createRecordingTool('test.ok', { scopes: ['repository'] });
      const needsAdmin = createRecordingTool('test.admin', { scopes: ['repository:admin'] });
      const { executor } = setup([ok, needsAdmin], { installationScopes: ['pullrequest:write'] });
      const result = await executor.execute(
        plan([
          { tool: 'test.ok', input: { repo: 'web' } },
          { tool: 'test.admin', input: { repo: 'web' } },
        ]),
        ctx,
        run('s1'),
      );
      expect(result.outcome).toBe('refused');
      expect(result.message).toBe(
        'Bosun needs the "repository:admin" scope for test.admin. Ask a workspace admin to approve the updated Bosun app permissions.',
      );
      expect(ok.runs).toHaveLength(0);
      expect(result.steps.every((s) => s.outcome === 'skipped')).toBe(true);
    });

    it('follows the lattice: pullrequest:write covers repository', async () => {
      const tool = createRecordingTool('test.read', { scopes: ['repository'] });
      const { executor } = setup([tool], { installationScopes: ['pullrequest:write'] });
      expect((await executor.execute(plan([{ tool: 'test.read', input: { repo: 'web' } }]), ctx, run('s2'))).outcome).toBe('succeeded');
    });

    it('asks the resolver for the user client with the scopes of every user step', async () => {
      const approve = createRecordingTool('test.approve', { actsAs: 'user', scopes: ['pullrequest:write'] });
      const resolver = createFakeResolver();
      const { executor } = setup([approve], { clients: resolver });
      await executor.execute(plan([{ tool: 'test.approve', input: { repo: 'web' } }]), ctx, run('u1'));
      expect(resolver.calls).toEqual([`user:${tenant.clientKey}:${alice.userUuid}:pullrequest:write`]);
    });

    it('tells an unconnected user to connect their account', async () => {
      const approve = createRecordingTool('test.approve', { actsAs: 'user', scopes: ['pullrequest:write'] });
      const resolver = createFakeResolver({
        forUser: async (_c, userUuid, requiredScopes) => {
          throw new NotConnectedError('no token', { userUuid, requiredScopes });
        },
      });
      const { executor } = setup([approve], { clients: resolver });
      const result = await executor.execute(plan([{ tool: 'test.approve', input: { repo: 'web' } }]), ctx, run('u2'));
      expect(result.outcome).toBe('refused');
      expect(result.message).toMatch(/^Connect your Bitbucket account to Bosun/);
      expect(approve.runs).toHaveLength(0);
    });

    it("names the scopes missing from the user's grant", async () => {
      const approve = createRecordingTool('test.approve', { actsAs: 'user', scopes: ['pullrequest:write'] });
      const resolver = createFakeResolver({
        forUser: async (_c, _u, requiredScopes) => {
          throw new MissingScopesError('short', { requiredScopes, missingScopes: ['pullrequest:write'], actsAs: 'user' });
        },
      });
      const { executor } = setup([approve], { clients: resolver });
      const result = await executor.execute(plan([{ tool: 'test.approve', input: { repo: 'web' } }]), ctx, run('u3'));
      expect(result).toMatchObject({ outcome: 'refused' });
      expect(result.message).toBe(
        'Bosun needs the "pullrequest:write" scope for test.approve. Reconnect your Bitbucket account to Bosun and approve the requested access.',
      );
    });

    it('refuses a user step when no person is behind the request', async () => {
      const approve = createRecordingTool('test.approve', { actsAs: 'user' });
      const { executor } = setup([approve]);
      const result = await executor.execute(
        plan([{ tool: 'test.approve', input: { repo: 'web' } }], 'rule plan'),
        { tenant, actor: { userUuid: null, accountId: null, kind: 'rule' } },
        run('u4'),
      );
      expect(result.outcome).toBe('refused');
      expect(result.message).toContain('no user behind it (rule)');
    });
  });

  describe('failures', () => {
    it('stops at the first failure and skips the rest', async () => {
      const a = createRecordingTool('test.a');
      const b = createRecordingTool('test.b', {
        behaviour: async () => {
          throw new NotFoundError('gone', target, 'Pull request not found');
        },
      });
      const c = createRecordingTool('test.c');
      const { executor } = setup([a, b, c]);
      const result = await executor.execute(
        plan([
          { tool: 'test.a', input: { repo: 'web' } },
          { tool: 'test.b', input: { repo: 'web' } },
          { tool: 'test.c', input: { repo: 'web' } },
        ]),
        ctx,
        run('f1'),
      );
      expect(result.outcome).toBe('failed');
      expect(result.steps.map((s) => s.outcome)).toEqual(['succeeded', 'failed', 'skipped']);
      expect(result.steps[1]).toMatchObject({ errorCode: 'BITBUCKET_NOT_FOUND', message: 'Repository acme/web was not found, or Bosun cannot see it.' });
      expect(c.runs).toHaveLength(0);
      expect(result.message).toBe('test.a did it. Repository acme/web was not found, or Bosun cannot see it.');
    });

    it.each([
      [new ForbiddenError('x', target, 'no', { required: ['pullrequest:write'], granted: ['pullrequest'] }), 'Bosun needs the "pullrequest:write" scope for test.fail. Ask a workspace admin to approve the updated Bosun app permissions.'],
      [new ForbiddenError('x', target, 'Forbidden', { required: null, granted: null }), 'Bitbucket did not allow test.fail on repository acme/web ("Forbidden"). Bosun may lack permission on this repository.'],
      [new ConflictError('x', target, 'ref moved'), 'Repository acme/web changed meanwhile ("ref moved"); try again.'],
      [new RateLimitedError('x', target, null, 12_300), 'Bitbucket is rate-limiting Bosun right now; try again in 13 s.'],
      [new RateLimitedError('x', target, null, null), 'Bitbucket is rate-limiting Bosun right now; try again in a few minutes.'],
      [new Error('boom'), 'Something went wrong in Bosun while running test.fail; it has been logged.'],
    ])('words %s for people', async (error, message) => {
      const tool = createRecordingTool('test.fail', {
        behaviour: async () => {
          throw error;
        },
      });
      const { executor } = setup([tool]);
      const result = await executor.execute(plan([{ tool: 'test.fail', input: { repo: 'web' } }]), ctx, run(`e-${message}`));
      expect(result.outcome).toBe('failed');
      expect(result.message).toBe(message);
    });
  });
});
