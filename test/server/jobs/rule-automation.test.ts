import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryAuditStore, createMemoryExecutionStore, createToolCatalog, toRulePlan, type AnyTool, type RuleFactsSource } from '../../../server/agent';
import { resolvePolicy } from '../../../server/policies';
import { createRuleAutomations } from '../../../server/create-rule-automations';
import { createReceiver, createRuleAutomationHandlers, toDeliveryJobSources, type DeliveryFacts, type RuleAutomation } from '../../../server/jobs';
import { createFakeResolver, createRecordingTool, createTickingClock, silentLogger } from '../agent/agent-fakes';
import { createCountingTenants, toTestTenant } from './handlers/handler-harness';

/**
 * A rule-driven automation written the way a new one would be: declared outside jobs/ (here, in the
 * test) and registered by handing it to createRuleAutomationHandlers and the intake's sources, as
 * create-rule-services.ts does. Nothing under server/jobs/ names it.
 */
const labelNewPullRequests: RuleAutomation = {
  type: 'rules.exampleLabel',
  jobsFor: (facts: DeliveryFacts, now: Date) =>
    facts.eventKey === 'pullrequest:created' && facts.pullRequestId !== null
      ? [{ clientKey: facts.clientKey, type: 'rules.exampleLabel', payload: { pullRequestId: facts.pullRequestId }, dedupeKey: `label:${facts.pullRequestId}`, runAt: now }]
      : [],
  async run({ payload }, execute) {
    const { pullRequestId } = payload as { pullRequestId: number };
    const plan = toRulePlan({
      rule: 'description', mode: 'on', key: `label:${pullRequestId}`, summary: `Label #${pullRequestId}`,
      steps: [{ tool: 'example.label', input: { repo: 'web', value: `#${pullRequestId}` } }],
      wouldDo: [`label #${pullRequestId}`], target: { workspace: 'acme', repo: 'web', pullRequestId },
    });
    return { results: await execute([plan]) };
  },
};

function setup(automations: RuleAutomation[], more: AnyTool[] = []) {
  const tenant = toTestTenant('ck-rules');
  const tenants = createCountingTenants([tenant]);
  const audit = createMemoryAuditStore();
  const tool = createRecordingTool('example.label');
  const now = createTickingClock();
  const executor = createExecutor({
    tools: createToolCatalog([tool, ...more]), clients: createFakeResolver(), audit, executions: createMemoryExecutionStore(), logger: silentLogger, now,
    installationScopes: ['repository'],
  });
  const handlers = createRuleAutomationHandlers({ tenants, clients: createFakeResolver(), executor: () => executor, logger: silentLogger }, automations);
  return { tenant, tenants, audit, tool, receiver: createReceiver(handlers, { logger: silentLogger, now }) };
}

describe('rule automations registered from outside jobs/', () => {
  it('a new automation runs through receive(): its plan through the executor as the rule, one audit entry, once per key', async () => {
    const t = setup([labelNewPullRequests]);
    const first = await t.receiver.receive({ type: 'rules.exampleLabel', clientKey: t.tenant.clientKey, payload: { pullRequestId: 7 } });
    expect(first).toEqual({ results: [expect.objectContaining({ rule: 'description', mode: 'on', outcome: 'succeeded', replayed: false, failedStep: null })] });
    expect(t.tool.runs).toEqual([{ repo: 'web', value: '#7' }]);
    const entries = t.audit.all();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ clientKey: t.tenant.clientKey, outcome: 'succeeded', actor: { kind: 'rule', displayName: 'Bosun rule: description' }, trigger: { kind: 'rule:description' } });
    // The same trigger again (a redelivery, a retried job): the executor's key runs it once.
    const again = await t.receiver.receive({ type: 'rules.exampleLabel', clientKey: t.tenant.clientKey, payload: { pullRequestId: 7 } });
    expect(again).toEqual({ results: [expect.objectContaining({ replayed: true })] });
    expect(t.tool.runs).toHaveLength(1);
    expect(t.audit.all()).toHaveLength(1);
    // The trigger's context loaded the tenant once per job.
    expect(t.tenants.reads).toBe(2);
  });

  it('a job of a tenant that is gone is ignored, and nothing runs', async () => {
    const t = setup([labelNewPullRequests]);
    expect(await t.receiver.receive({ type: 'rules.exampleLabel', clientKey: 'ck-gone', payload: { pullRequestId: 7 } })).toEqual({ ignored: 'uninstalled' });
    expect(t.tool.runs).toEqual([]);
    expect(t.audit.all()).toEqual([]);
  });

  it('its delivery jobs are the intake’s sources; two automations may not share a job type', () => {
    const sources = toDeliveryJobSources([labelNewPullRequests, { type: 'rules.scheduledOnly', run: async () => ({}) }]);
    expect(sources).toEqual([labelNewPullRequests.jobsFor]);
    const at = new Date('2026-03-01T10:00:00Z');
    const facts: DeliveryFacts = { clientKey: 'ck', requestUuid: 'r-1', eventKey: 'pullrequest:created', repositoryUuid: '{r}', pullRequestId: 3, commitHash: null, comment: null };
    expect(sources.flatMap((s) => s(facts, at)).map((j) => [j.type, j.dedupeKey])).toEqual([['rules.exampleLabel', 'label:3']]);
    expect(sources.flatMap((s) => s({ ...facts, eventKey: 'repo:push' }, at))).toEqual([]);
    expect(() => setup([labelNewPullRequests, labelNewPullRequests])).toThrow(/share the job type rules\.exampleLabel/);
  });

  it('the stale and push automations, registered the same way, plan from their facts and run through receive()', async () => {
    const NOW = new Date('2026-12-01T12:00:00Z');
    const stalePolicy = resolvePolicy([{ source: 'workspace', data: { stale: { mode: 'on', remindAfterDays: 5, declineAfterDays: 3, decline: true } } }]).policy;
    const botPolicy = resolvePolicy([{ source: 'workspace', data: { botPullRequests: { mode: 'on', rules: [{ branches: 'release/*', target: 'main', title: 'Release {{branch.name}}' }] } } }]).policy;
    const facts: RuleFactsSource = {
      loadPullRequest: async () => null,
      loadPush: async (_clientKey, requestUuid) =>
        requestUuid === 'push-1'
          ? [{ push: { branch: 'release/2.0', closed: false, repository: 'acme/web', actorDisplayName: 'Bob', workspace: 'acme', repo: 'web', repositoryUuid: '{r}' }, policy: botPolicy, openPullRequests: [] }]
          : [],
      listStaleCandidates: async () => [
        { pullRequest: { workspace: 'acme', repo: 'web', repositoryUuid: '{r}', id: 4, title: 'Old', state: 'OPEN', lastActivityAt: '2026-11-20T00:00:00.000Z', remindedAt: '2026-11-27T12:00:00.000Z' }, policy: stalePolicy },
      ],
    };
    const decline = createRecordingTool('pullRequest.decline', { risk: 'destructive' });
    const open = createRecordingTool('pullRequest.open');
    const t = setup(createRuleAutomations({ facts, now: () => NOW }), [decline, open]);
    expect(await t.receiver.receive({ type: 'rules.stale', clientKey: t.tenant.clientKey, payload: {} })).toEqual({ checked: 1, results: [expect.objectContaining({ rule: 'stale', outcome: 'succeeded' })] });
    expect(decline.runs).toEqual([{ workspace: 'acme', repo: 'web' }]);
    expect(await t.receiver.receive({ type: 'rules.push', clientKey: t.tenant.clientKey, payload: { requestUuid: 'push-1' } })).toEqual({ results: [expect.objectContaining({ rule: 'botPullRequests', outcome: 'succeeded' })] });
    expect(open.runs).toEqual([{ workspace: 'acme', repo: 'web' }]);
    // A PR the facts no longer find is ignored; a payload that is not a rules job fails (the worker dead-letters it).
    expect(await t.receiver.receive({ type: 'rules.pullRequest', clientKey: t.tenant.clientKey, payload: { repositoryUuid: '{r}', pullRequestId: 9, event: 'created' } })).toEqual({ ignored: 'gone' });
    await expect(t.receiver.receive({ type: 'rules.pullRequest', clientKey: t.tenant.clientKey, payload: { pullRequestId: 'x' } })).rejects.toThrow();
    expect(t.audit.all().map((e) => [e.actor.kind, e.trigger.kind, e.tools])).toEqual([['rule', 'rule:stale', ['pullRequest.decline']], ['rule', 'rule:botPullRequests', ['pullRequest.open']]]);
  });

  it('jobs/ names none of the registered rule automations nor imports a rule planner', () => {
    const types = createRuleAutomations({ facts: {} as never, now: () => new Date() }).map((a) => a.type);
    expect(types).toEqual(['rules.pullRequest', 'rules.push', 'rules.stale']);
    const root = path.resolve(__dirname, '../../../server/jobs');
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') ? [full] : [];
      });
    })(root);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const type of types) expect(text, path.relative(root, file)).not.toContain(`'${type}'`);
      expect(text, path.relative(root, file)).not.toMatch(/\bplan(PullRequestRules|PushRules|StaleRule|ReviewerRetry)\w*/);
    }
  });
});
