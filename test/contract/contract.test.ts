/**
 * Contract suite: for every operation of the client, a scenario drives it against the sandbox and
 * each recorded exchange (path, query, request body, response body) is validated against
 * Atlassian's openapi.json with ajv. Differences must be listed in spec-deviations.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BITBUCKET_OPERATIONS, type BitbucketOperation, type BitbucketOperationName } from '../../server/bitbucket';
import { loadOpenApi, OPENAPI_PATH } from '../helpers/openapi';
import { hasSpec } from '../helpers/shared-samples';
import { checkExchanges, type ContractIssue } from './check-exchange';
import { createContractContext, type ContractContext } from './contract-context';
import type { Scenario } from './scenario';
import { EXTRA_SCENARIOS, SCENARIOS } from './scenarios';
import { describeDeviation, findDeviation, SPEC_DEVIATIONS } from './spec-deviations';

const spec = hasSpec ? loadOpenApi() : null;

function formatIssue(issue: ContractIssue): string {
  return `${issue.exchange}\n    ${issue.where} ${issue.instancePath || '(root)'} [${issue.keyword}] ${issue.message}`;
}

describe.runIf(spec === null)('contract suite without the spec', () => {
  it('skips: openapi.json is not beside the checkout', (context) => {
    context.skip(`${OPENAPI_PATH} not found (../shared is absent on this machine); contract tests skipped. CI always runs them.`);
  });
});

describe.runIf(spec !== null)('contract: client ⇄ sandbox ⇄ openapi.json', () => {
  let ctx: ContractContext;
  const deviationHits = new Array<number>(SPEC_DEVIATIONS.length).fill(0);
  const validatedExchanges = new Map<BitbucketOperationName, number>();
  const scenarioCount = BITBUCKET_OPERATIONS.length + EXTRA_SCENARIOS.length;
  let scenariosPassed = 0;
  let exchangesChecked = 0;

  beforeAll(async () => {
    ctx = await createContractContext();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stack.close();
  });

  const runScenario = async (operation: BitbucketOperation, scenario: Scenario) => {
    ctx.recorder.take();
    await scenario(ctx);
    const exchanges = ctx.recorder.take();
    expect(exchanges.length, `${operation.name}: the scenario made no HTTP call`).toBeGreaterThan(0);
    const { issues, matched } = checkExchanges(spec!, operation, exchanges);
    exchangesChecked += exchanges.length;
    const own = matched.filter((m) => m.endpoint.method === operation.method && m.endpoint.path === operation.path);
    validatedExchanges.set(operation.name, (validatedExchanges.get(operation.name) ?? 0) + own.length);
    const unexplained = issues.filter((issue) => {
      const index = findDeviation(issue);
      if (index >= 0) deviationHits[index]! += 1;
      return index < 0;
    });
    expect(
      unexplained.map(formatIssue),
      `${operation.name} differs from openapi.json; fix the client or sandbox, or list the difference with its reason in test/contract/spec-deviations.ts`,
    ).toEqual([]);
    scenariosPassed += 1;
  };

  for (const operation of BITBUCKET_OPERATIONS) {
    it(`${operation.name}: ${operation.method} ${operation.path}`, async () => {
      await runScenario(operation, SCENARIOS[operation.name]);
    });
  }

  for (const extra of EXTRA_SCENARIOS) {
    it(`${extra.operation}: ${extra.name}`, async () => {
      const operation = BITBUCKET_OPERATIONS.find((op) => op.name === extra.operation)!;
      await runScenario(operation, extra.run);
    });
  }

  it('has a scenario for every operation of the client, and validated an exchange of each', (context) => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(BITBUCKET_OPERATIONS.map((op) => op.name).sort());
    if (scenariosPassed < scenarioCount) context.skip('not every scenario ran and passed (filtered run or failures above)');
    const unvalidated = BITBUCKET_OPERATIONS.filter((op) => !validatedExchanges.get(op.name)).map((op) => op.name);
    expect(unvalidated, 'operations whose own endpoint was never called and validated').toEqual([]);
    if (process.env.CONTRACT_REPORT) {
      console.info(`contract: ${BITBUCKET_OPERATIONS.length} operations, ${scenarioCount} scenarios, ${exchangesChecked} exchanges checked`);
    }
  });

  it('lists no stale deviation in spec-deviations.ts', (context) => {
    if (scenariosPassed < scenarioCount) context.skip('not every scenario ran and passed (filtered run or failures above)');
    const stale = SPEC_DEVIATIONS.filter((_, i) => deviationHits[i] === 0).map(describeDeviation);
    expect(stale, 'deviations no exchange needed any more: remove them').toEqual([]);
  });
});
