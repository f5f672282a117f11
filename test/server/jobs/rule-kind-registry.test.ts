import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_RULE_KINDS,
  createExecutor,
  createMemoryAuditStore,
  createMemoryExecutionStore,
  createRuleKindRegistry,
  createRuleRecordDryRun,
  createToolCatalog,
  ruleRecordDryRun,
  toRulePlan,
  type AnyTool,
} from '../../../server/agent';
import { createReceiver, createRuleAutomationHandlers, type RuleAutomation } from '../../../server/jobs';
import { createFakeResolver, createRecordingTool, createTickingClock, silentLogger } from '../agent/agent-fakes';
import { createCountingTenants, toTestTenant } from './handlers/handler-harness';

// A new rule kind declares itself in its own file, as this test does: rules-plan.ts and rule-kinds.ts are not edited.
declare module '../../../server/agent/planner/rule-kinds' {
  interface RuleKinds {
    exampleLabel: true;
  }
}

/** A rule automation of the new kind, in dry run: its plan is one dry-run record under its own name. */
const labelInDryRun: RuleAutomation = {
  type: 'rules.exampleLabel',
  async run({ payload }, execute) {
    const { pullRequestId } = payload as { pullRequestId: number };
    const plan = toRulePlan({
      rule: 'exampleLabel', mode: 'dry-run', key: `label:${pullRequestId}`, summary: `Label #${pullRequestId}`,
      steps: [{ tool: 'example.label', input: { repo: 'web', value: `#${pullRequestId}` } }],
      wouldDo: [`label #${pullRequestId}`], target: { workspace: 'acme', repo: 'web', pullRequestId },
    });
    return { results: await execute([plan]) };
  },
};

function setup(dryRunRecord: AnyTool) {
  const tenant = toTestTenant('ck-kinds');
  const audit = createMemoryAuditStore();
  const label = createRecordingTool('example.label');
  const executor = createExecutor({
    tools: createToolCatalog([label, dryRunRecord]), clients: createFakeResolver(), audit, executions: createMemoryExecutionStore(), logger: silentLogger, now: createTickingClock(),
    installationScopes: ['repository'],
  });
  const handlers = createRuleAutomationHandlers({ tenants: createCountingTenants([tenant]), clients: createFakeResolver(), executor: () => executor, logger: silentLogger }, [labelInDryRun]);
  return { tenant, audit, label, receiver: createReceiver(handlers, { logger: silentLogger, now: createTickingClock() }) };
}

describe('rule kinds registered at the composition root', () => {
  it('a new kind, declared in its own file and registered, is recorded in dry run under its name, as the rule', async () => {
    const kinds = createRuleKindRegistry([...BUILT_IN_RULE_KINDS, 'exampleLabel']);
    const t = setup(createRuleRecordDryRun(kinds));
    const result = await t.receiver.receive({ type: 'rules.exampleLabel', clientKey: t.tenant.clientKey, payload: { pullRequestId: 7 } });
    expect(result).toEqual({ results: [expect.objectContaining({ rule: 'exampleLabel', mode: 'dry-run', outcome: 'succeeded', failedStep: null })] });
    // Dry run: the real tool did not run.
    expect(t.label.runs).toEqual([]);
    const [entry, ...more] = t.audit.all();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: { kind: 'rule', displayName: 'Bosun rule: exampleLabel' }, trigger: { kind: 'rule:exampleLabel' }, tools: ['rule.recordDryRun'] });
    expect(entry?.steps[0]?.summary).toContain('Dry run of the exampleLabel rule on #7 in acme/web: would label #7');
  });

  it('a kind no one registered is not a valid dry-run record: nothing is recorded as done', async () => {
    const t = setup(ruleRecordDryRun);
    const result = await t.receiver.receive({ type: 'rules.exampleLabel', clientKey: t.tenant.clientKey, payload: { pullRequestId: 8 } });
    expect(result).toEqual({ results: [expect.objectContaining({ rule: 'exampleLabel', outcome: 'refused', message: expect.stringContaining('rule: Not a registered rule kind') })] });
    expect(t.audit.all().map((e) => [e.outcome, e.steps.map((s) => s.outcome)])).toEqual([['refused', ['skipped']]]);
    expect(t.label.runs).toEqual([]);
  });

  it('a kind is registered once; the built-in kinds are the planners’ own', () => {
    expect(() => createRuleKindRegistry([...BUILT_IN_RULE_KINDS, 'stale'])).toThrow(/stale is registered twice/);
    const kinds = createRuleKindRegistry(BUILT_IN_RULE_KINDS);
    expect(kinds.has('reviewers')).toBe(true);
    expect(kinds.has('exampleLabel')).toBe(false);
    // rules-plan.ts holds no list of kinds: a new one does not edit it.
    const rulesPlan = readFileSync(path.resolve(__dirname, '../../../server/agent/planner/rules-plan.ts'), 'utf8');
    for (const kind of BUILT_IN_RULE_KINDS) expect(rulesPlan).not.toContain(`'${kind}'`);
  });
});
