import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

/** `/bosun builds`, `/bosun rerun <n>` and `/bosun stop <n>` in a PR comment, end to end against the sandbox. */
describe('Pipelines comment commands', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ sandbox: { pipelineStepMs: 50 } });
  }, 60_000);
  afterAll(async () => stack?.close());

  const BRANCH = 'feature/login-form';
  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const sticky = () =>
    stack.sandbox.state.comments.find((c) => c.repoUuid === web().uuid && c.prId === 1 && !c.deleted && c.raw.includes('<!-- bosun:sticky:bosun -->'))?.raw ?? '';
  const runs = () => stack.sandbox.state.pipelines.filter((p) => p.repoUuid === web().uuid && p.refName === BRANCH).sort((a, b) => b.buildNumber - a.buildNumber);
  const say = (text: string) => stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'alice', text);

  it('lists the source branch\'s runs, re-runs one and stops one', async () => {
    // SANDBOX_FLAKY fails a commit's first run only: the re-run copies the variables and passes.
    const failed = stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: BRANCH, variables: [{ key: 'SANDBOX_FLAKY', value: 'true' }] });
    await waitFor(() => failed.result === 'FAILED', 'the failed run');

    say('/bosun builds');
    await waitFor(() => sticky().includes(`Recent Pipelines runs in acme/web on ${BRANCH}`), 'the builds reply');
    expect(sticky()).toMatch(new RegExp(`#${failed.buildNumber} ${BRANCH} FAILED`));

    say(`/bosun rerun ${failed.buildNumber}`);
    await waitFor(() => runs()[0]!.buildNumber > failed.buildNumber, 'the re-run');
    const rerun = runs()[0]!;
    expect(rerun.commitHash).toBe(failed.commitHash);
    await waitFor(() => sticky().includes(`Started pipeline #${rerun.buildNumber} to run #${failed.buildNumber}`), 'the rerun reply');
    await waitFor(() => rerun.result === 'SUCCESSFUL', 'the re-run to pass');

    const held = stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: BRANCH, variables: [{ key: 'SANDBOX_HOLD', value: 'true' }] });
    await waitFor(() => held.state === 'IN_PROGRESS', 'the held run');
    say(`/bosun stop ${held.buildNumber}`);
    await waitFor(() => held.result === 'STOPPED', 'the stop');
    expect(stack.sandbox.state.users.find((u) => u.uuid === held.terminatorUuid)).toBeDefined();
  });
});
