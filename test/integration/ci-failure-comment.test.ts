/**
 * The failed-builds comment against the sandbox: statuses posted on PR heads (the sandbox sends Bosun the
 * commit-status webhooks), the policy rule buildFailures read from Bosun's policy store, the comment written
 * through the executor as the rule. Asserts on the sandbox's final comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStickyMarker } from '../../server/agent';
import { createSqlPolicyStore } from '../../server/storage';
import { startStack, type RunningStack } from '../helpers/start-stack';

const MARKER = toStickyMarker('bosun-builds');

describe('sticky failed-builds comment (policy rule buildFailures)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(async () => stack?.close());

  const repoOf = (slug: string) => stack.sandbox.state.repositories.find((r) => r.slug === slug)!;
  const prOf = (slug: string, id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repoOf(slug).uuid && p.id === id)!;
  const stickies = (slug: string, id: number) =>
    stack.sandbox.state.comments.filter((c) => c.repoUuid === repoOf(slug).uuid && c.prId === id && !c.deleted && c.raw.includes(MARKER));
  const post = (slug: string, id: number, key: string, state: 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED', description = '') =>
    stack.sandbox.actions.setCommitStatus({
      workspace: 'acme', repo: slug, commit: prOf(slug, id).source.hash, actor: 'bob', key, state, name: `Check ${key}`, url: `https://ci.acme.test/${slug}/${key}`, description, refname: prOf(slug, id).source.branch,
    });
  const policies = () => createSqlPolicyStore(stack.bosun.services.db);
  const audits = async (tool: string) =>
    (await stack.bosun.services.db.models.AuditEntry.findAll({ where: { clientKey: stack.installation.clientKey } })).filter((a) => a.tools.includes(`|${tool}|`) && a.triggerKind === 'rule:buildFailures');

  it('in dry-run (the default) records what it would say and writes nothing', async () => {
    post('web', 3, 'unit', 'FAILED', '3 tests failed');
    await expect.poll(async () => (await audits('rule.recordDryRun')).length, { timeout: 15_000 }).toBe(1);
    await stack.sandbox.idle();
    expect(stickies('web', 3)).toHaveLength(0);
  });

  it('switched on: one comment on failure, edited on the next failure, then marked resolved; off in a repository stops it', async () => {
    await policies().save(stack.installation.clientKey, 'workspace', { buildFailures: { mode: 'on' } }, 'test', 0);
    await policies().save(stack.installation.clientKey, repoOf('infra').uuid as `{${string}}`, { buildFailures: { mode: 'off' } }, 'test', 0);

    post('web', 1, 'lint', 'FAILED', '4 problems');
    await expect.poll(() => stickies('web', 1).length, { timeout: 15_000 }).toBe(1);
    expect(stickies('web', 1)[0]!.raw).toContain('[Check lint](https://ci.acme.test/web/lint): 4 problems');

    post('web', 1, 'unit', 'FAILED', '1 test failed');
    await expect.poll(() => stickies('web', 1)[0]?.raw.includes('[Check unit]') ?? false, { timeout: 15_000 }).toBe(true);
    expect(stickies('web', 1)).toHaveLength(1);
    expect(stickies('web', 1)[0]!.raw).toContain('[Check lint]');

    // Seeded: build SUCCESSFUL, e2e INPROGRESS. Everything green now.
    for (const key of ['lint', 'unit', 'e2e']) post('web', 1, key, 'SUCCESSFUL');
    await expect.poll(() => stickies('web', 1)[0]?.raw.includes('Builds no longer failing') ?? false, { timeout: 15_000 }).toBe(true);
    expect(stickies('web', 1)).toHaveLength(1);

    // A PR that never failed gets no comment; a repository with the rule off gets none either.
    post('web', 2, 'build', 'SUCCESSFUL');
    post('infra', 1, 'plan', 'FAILED', 'plan failed');
    // Wait until each commit's job has run (and seen its PR), then look.
    const ran = async (slug: string, id: number) =>
      (await stack.bosun.services.db.models.Job.findAll({ where: { type: 'ci.failureComment', state: 'succeeded' } })).some(
        (j) => j.payload.includes(prOf(slug, id).source.hash) && (j.result ?? '').includes('"pullRequests":1'),
      );
    await expect.poll(async () => (await ran('web', 2)) && (await ran('infra', 1)), { timeout: 15_000 }).toBe(true);
    await stack.sandbox.idle();
    expect(stickies('web', 2)).toHaveLength(0);
    expect(stickies('infra', 1)).toHaveLength(0);
    // Off is not dry-run: nothing recorded for infra either (the one dry-run entry is web #3's, above).
    expect(await audits('rule.recordDryRun')).toHaveLength(1);
  });
});
