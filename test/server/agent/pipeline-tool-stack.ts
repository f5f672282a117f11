import { afterAll, beforeAll } from 'vitest';
import type { Plan } from '../../../server/agent';
import type { Pipeline as SandboxPipeline } from '../../../sandbox/state/types';
import { startAgentStack, type AgentStack } from './start-agent-stack';

export const ALICE = '{a11ce000-0000-4000-8000-000000000001}';

/**
 * The setup the Pipelines tool tests share: one agent stack for the file (started before, closed after), plans run
 * through the executor as alice from a button, and the newest sandbox run of a repository.
 */
export function usePipelineToolStack(idempotencyPrefix: string) {
  let stack: AgentStack | undefined;
  let n = 0;
  beforeAll(async () => {
    stack = await startAgentStack();
  }, 60_000);
  afterAll(async () => stack?.close());
  const current = () => {
    if (!stack) throw new Error('the agent stack has not started');
    return stack;
  };
  return {
    get stack() {
      return current();
    },
    run(tool: string, input: Record<string, unknown>) {
      const plan: Plan = { steps: [{ tool, input }], summary: tool, source: 'button' };
      n += 1;
      return current().executor.execute(plan, { tenant: { clientKey: current().clientKey, workspace: 'acme' }, actor: { userUuid: ALICE, accountId: null, kind: 'user' } }, {
        idempotencyKey: `${idempotencyPrefix}-${n}`,
        confirmed: false,
        trigger: { kind: 'test', ref: null },
      });
    },
    newestRun(repoSlug = 'web'): SandboxPipeline {
      const { state } = current().sandbox;
      const repo = state.repositories.find((r) => r.slug === repoSlug);
      const newest = state.pipelines.filter((p) => p.repoUuid === repo?.uuid).sort((a, b) => b.buildNumber - a.buildNumber)[0];
      if (!newest) throw new Error(`no pipeline in ${repoSlug}`);
      return newest;
    },
  };
}
