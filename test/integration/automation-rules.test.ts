import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyStore } from '../../server/policies';
import { createRuleServices } from '../../server/create-rule-services';
import { RULES_STALE_JOB } from '../../server/create-rule-automations';
import { createLogger } from '../../server/log';
import { createSqlPolicyStore } from '../../server/storage/sql-policy-store';
import { toShortHash } from '../../server/mirror';
import { createSqlMirrorStore } from '../../server/storage';
import { createRulesStack, SEED_PEOPLE } from '../helpers/rules-stack';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

const WORKSPACE = 'acme';
const REPO = 'web';
const { carol: CAROL, dave: DAVE } = SEED_PEOPLE;

describe('automation rules as jobs against the sandbox', () => {
  let stack: RunningStack;
  let policies: PolicyStore;

  beforeAll(async () => {
    stack = await startStack();
    policies = createSqlPolicyStore(stack.bosun.services.db);
  });
  afterAll(async () => {
    await stack.close();
  });

  const { clientKey, repoUuid, prNow, auditFor, savePolicy, openPr, rulesJobDone } = createRulesStack(() => stack, REPO);
  const suffix = () => randomBytes(3).toString('hex');
  const statusesOf = (id: number) => stack.sandbox.state.statuses.filter((s) => s.commitHash === prNow(id).source.hash && s.key.startsWith('bosun/'));
  /** The rules job of a PR's `created` event, once it has finished (the audit entries are written by then). */
  const createdRulesJobDone = (prId: number) => rulesJobDone(prId, (job) => job.event === 'created');

  it('a PR created touching owned paths gets a reviewer from the owning group (never the author), and bosun/ready on its head', async () => {
    await savePolicy({
      groups: { frontend: [CAROL, DAVE] },
      reviewers: { mode: 'on', owners: [{ paths: ['src/ui/**'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false },
      readiness: { mode: 'on', titlePattern: '^WEB-\\d+ ' },
    });
    const pr = openPr('WEB-1 Button colours', { 'src/ui/button.ts': 'export const colour = "teal";\n' });
    await expect.poll(() => prNow(pr.id).reviewerUuids.length, { timeout: 15_000 }).toBe(1);
    expect([CAROL, DAVE]).toContain(prNow(pr.id).reviewerUuids[0]);
    await expect.poll(() => statusesOf(pr.id).map((s) => s.key), { timeout: 15_000 }).toEqual(['bosun/ready']);
    // Waiting for approvals and builds, so not ready yet; exactly one status per key.
    expect(statusesOf(pr.id)[0]!.state).not.toBe('SUCCESSFUL');
    // Another event's job may have posted bosun/ready before the creation's job recorded its plan.
    expect((await createdRulesJobDone(pr.id)).state).toBe('succeeded');
    const assigned = (await auditFor('pullRequest.addReviewers')).filter((e) => e.planSummary.includes(`#${pr.id}`));
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!).toMatchObject({ source: 'rule', outcome: 'succeeded' });
  });

  it('in dry-run the rule records what it would do and writes nothing to Bitbucket', async () => {
    await savePolicy({
      groups: { frontend: [CAROL, DAVE] },
      reviewers: { mode: 'dry-run', owners: [{ paths: ['src/ui/**'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false },
      readiness: { mode: 'dry-run' },
    });
    const pr = openPr('WEB-2 Header', { 'src/ui/header.ts': 'export const header = 1;\n' });
    await expect
      .poll(async () => (await auditFor('rule.recordDryRun')).filter((e) => e.planSummary.includes(`#${pr.id}`)).map((e) => e.steps[0]!.summary ?? ''), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/Dry run of the reviewers rule .* would add/), expect.stringMatching(/Dry run of the readiness rule .* would report bosun\/ready/)]));
    expect(prNow(pr.id).reviewerUuids).toEqual([]);
    expect(statusesOf(pr.id)).toEqual([]);
  });

  it("an invalid bosun.yml on the destination branch makes bosun/config FAILED naming the problem, and the PR's own file is never read", async () => {
    await savePolicy({ readiness: { mode: 'off' }, reviewers: { mode: 'off' } });
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: 'main', actor: 'alice', message: 'Bosun config', files: { 'bosun.yml': 'stale:\n  mode: sometimes\n' } });
    const branch = `feature/${suffix()}`;
    // The PR's source carries a valid file: it must not be the one read.
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch, actor: 'bob', message: 'Tweak', files: { 'bosun.yml': 'stale:\n  mode: on\n' } });
    const pr = stack.sandbox.actions.createPullRequest({ workspace: WORKSPACE, repo: REPO, actor: 'bob', title: 'Tweak config', sourceBranch: branch, destinationBranch: 'main' });
    await expect.poll(() => statusesOf(pr.id).map((s) => `${s.key} ${s.state}`), { timeout: 15_000 }).toEqual(['bosun/config FAILED']);
    expect(statusesOf(pr.id)[0]!.description).toMatch(/bosun\.yml stale\.mode/);

    // Not YAML at all: still a FAILED status with the parser's word, no crash.
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: 'main', actor: 'alice', message: 'Broken config', files: { 'bosun.yml': 'stale: [unclosed\n' } });
    const pr2 = openPr('Another', { 'docs/a.md': 'a\n' });
    await expect.poll(() => statusesOf(pr2.id).map((s) => s.description), { timeout: 15_000 }).toEqual([expect.stringMatching(/bosun\.yml: not valid YAML/)]);
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: 'main', actor: 'alice', message: 'Remove config', files: { 'bosun.yml': null } });
  });

  it('a pushed release branch opens one bot PR, also when the push is delivered again', async () => {
    await savePolicy({ botPullRequests: { mode: 'on', rules: [{ branches: 'release/*', target: 'main', title: 'Release {{branch.name}}', description: 'Opened by Bosun for {{branch}}.' }] } });
    const branch = `release/${suffix()}`;
    const before = stack.sent.length;
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch, actor: 'bob', message: 'Cut release' });
    const opened = () => stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === repoUuid() && p.source.branch === branch);
    await expect.poll(() => opened().length, { timeout: 15_000 }).toBe(1);
    expect(opened()[0]!).toMatchObject({ title: `Release ${branch.split('/')[1]}`, description: `Opened by Bosun for ${branch}.`, destination: expect.objectContaining({ branch: 'main' }) });
    // Redeliver the push as Bitbucket would (same X-Request-UUID), and a second push to the branch.
    const push = stack.sent.slice(before).find((d) => d.body.includes('"repo:push"') && d.body.includes(branch))!;
    expect((await fetch(push.url, { method: 'POST', headers: push.headers, body: push.body })).ok).toBe(true);
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch, actor: 'bob', message: 'Fix release' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(opened()).toHaveLength(1);
  });

  it('stale PRs (injected clock): reminded once after N days, declined M days later only when on and declining; dry-run only records', async () => {
    const DAY = 86_400_000;
    let clock = new Date();
    const { services } = stack.bosun;
    const rules = createRuleServices({
      policies, tenants: services.deps.tenants, clients: services.deps.clients, deliveries: services.deps.deliveries,
      executor: () => services.automation.executor, logger: createLogger({ level: 'silent' }), now: () => clock,
    });
    const job = { id: `stale-${suffix()}`, clientKey: clientKey(), type: RULES_STALE_JOB, payload: {}, attempts: 1, maxAttempts: 3, priority: -10, state: 'running' as const, dedupeKey: null, runAt: clock, lockedBy: null, leaseExpiresAt: null, lastError: null, createdAt: clock, updatedAt: clock, result: null };
    const runStale = () => rules.handlers[RULES_STALE_JOB]!({ ...job, id: `stale-${suffix()}` }, { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }), heartbeat: async () => {} });
    // Every other open PR is declined already, so only this one is in play.
    for (const p of stack.sandbox.state.pullRequests.filter((x) => x.state === 'OPEN')) stack.sandbox.actions.decline({ workspace: WORKSPACE, repo: stack.sandbox.state.repositories.find((r) => r.uuid === p.repoUuid)!.slug, id: p.id }, 'alice');
    const pr = openPr('WEB-9 Old work', { 'docs/old.md': 'old\n' });
    const reminders = () => stack.sandbox.state.comments.filter((c) => c.repoUuid === repoUuid() && c.prId === pr.id && c.raw.includes('sticky:bosun-stale'));

    await savePolicy({ stale: { mode: 'dry-run', remindAfterDays: 5, declineAfterDays: 3, decline: true } });
    clock = new Date(Date.now() + 6 * DAY);
    await runStale();
    expect(reminders()).toEqual([]);
    expect((await auditFor('rule.recordDryRun')).some((e) => e.steps[0]!.summary?.includes(`stale rule on #${pr.id}`) && e.steps[0]!.summary.includes('would remind'))).toBe(true);

    await savePolicy({ stale: { mode: 'on', remindAfterDays: 5, declineAfterDays: 3, decline: true } });
    clock = new Date(Date.now() + 4 * DAY);
    await runStale();
    expect(reminders()).toEqual([]);
    clock = new Date(Date.now() + 6 * DAY);
    await runStale();
    await runStale();
    expect(reminders()).toHaveLength(1);
    expect(prNow(pr.id).state).toBe('OPEN');
    // Two days after the reminder: not yet.
    clock = new Date(Date.now() + 8 * DAY);
    await runStale();
    expect(prNow(pr.id).state).toBe('OPEN');
    clock = new Date(Date.now() + 10 * DAY);
    await runStale();
    expect(prNow(pr.id).state).toBe('DECLINED');
    const declines = (await auditFor('pullRequest.decline')).filter((e) => e.planSummary.includes(`#${pr.id}`));
    expect(declines).toEqual([expect.objectContaining({ source: 'rule', outcome: 'succeeded' })]);
  });

  it('once the mirror has synced, the stale pass lists repositories and open PRs from it (Bitbucket only for each PR\'s comments)', async () => {
    const { services } = stack.bosun;
    openPr('WEB-10 Mirrored', { 'docs/mirrored.md': 'm\n' });
    await services.scheduler.tick();
    await expect.poll(async () => (await services.db.models.MirrorSyncProgress.findByPk(clientKey()))?.state, { timeout: 20_000 }).toBe('done');
    // The install already synced (its first sync, create-lifecycle-subscriber.ts): wait for the rest of the
    // tick's jobs (the sweep…), whose requests would otherwise land among the ones counted below.
    await expect
      .poll(async () => (await services.db.models.Job.findAll({ where: { clientKey: clientKey(), state: ['queued', 'running'] }, raw: true })).filter((j) => j.dedupeKey?.startsWith('schedule:')).length, { timeout: 20_000 })
      .toBe(0);
    await services.deps.automation.intake.settled?.();
    await savePolicy({ stale: { mode: 'on', remindAfterDays: 30 } });
    const rules = createRuleServices({
      policies, tenants: services.deps.tenants, clients: services.deps.clients, deliveries: services.deps.deliveries, mirror: createSqlMirrorStore(services.db),
      executor: () => services.automation.executor, logger: createLogger({ level: 'silent' }), now: () => new Date(),
    });
    const open = stack.sandbox.state.pullRequests.filter((p) => p.state === 'OPEN');
    expect(open.length).toBeGreaterThan(0);
    const credential = `app:${clientKey()}`;
    stack.sandbox.requests.reset();
    const candidates = await rules.facts.listStaleCandidates(clientKey());
    expect(candidates.map((c) => c.pullRequest.id).sort()).toEqual(open.map((p) => p.id).sort());
    expect(stack.sandbox.requests.get(credential).total).toBe(open.length);
  });

  it("once the mirror has synced, a PR event's rules read the repository, the other PRs' reviewers and the head's statuses from it: the same facts, fewer Bitbucket requests", async () => {
    const { services } = stack.bosun;
    const mirror = createSqlMirrorStore(services.db);
    await savePolicy({ reviewers: { mode: 'off' }, readiness: { mode: 'off' } });
    const reviewed = `feature/${suffix()}`;
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: reviewed, actor: 'bob', message: 'reviewed', files: { 'docs/reviewed.md': 'r\n' } });
    const other = stack.sandbox.actions.createPullRequest({ workspace: WORKSPACE, repo: REPO, actor: 'bob', title: 'Reviewed by Carol', sourceBranch: reviewed, reviewers: ['carol'] });
    const pr = openPr('WEB-13 Mirrored facts', { 'src/ui/mirrored.ts': 'export const m = 1;\n' });
    const head = prNow(pr.id).source.hash;
    stack.sandbox.actions.setCommitStatus({ workspace: WORKSPACE, repo: REPO, commit: head, actor: 'alice', key: 'ci/build', state: 'SUCCESSFUL', name: 'Build' });
    await createdRulesJobDone(other.id);
    await createdRulesJobDone(pr.id);
    // A sweep lists the new head's statuses in full (webhooks alone may leave some out).
    await waitFor(async () => {
      const { job } = await services.automation.queue.enqueue({ clientKey: clientKey(), type: 'mirror.sweep', payload: {} });
      await waitFor(async () => ['succeeded', 'dead'].includes((await services.automation.queue.get(clientKey(), job.id))?.state ?? ''), 'the sweep ran', 30_000);
      return (await mirror.getPullRequest(clientKey(), repoUuid(), pr.id))?.statusesHash === toShortHash(head);
    }, "the head's statuses in the mirror", 60_000);
    await waitFor(async () => (await services.db.models.Job.count({ where: { clientKey: clientKey(), state: 'running' } })) === 0, 'no job running');

    const rulesWith = (withMirror: boolean) =>
      createRuleServices({
        policies, tenants: services.deps.tenants, clients: services.deps.clients, deliveries: services.deps.deliveries, ...(withMirror ? { mirror } : {}),
        executor: () => services.automation.executor, logger: createLogger({ level: 'silent' }), now: () => new Date(),
      });
    const credential = `app:${clientKey()}`;
    const load = async (withMirror: boolean) => {
      stack.sandbox.requests.reset();
      const facts = await rulesWith(withMirror).facts.loadPullRequest(clientKey(), { repositoryUuid: repoUuid(), pullRequestId: pr.id, event: 'created' });
      return { facts, requests: stack.sandbox.requests.get(credential).total };
    };
    const live = await load(false);
    const mirrored = await load(true);
    expect(mirrored.facts).toEqual(live.facts);
    expect(mirrored.facts!.readinessInput.statuses).toEqual([expect.objectContaining({ key: 'ci/build', state: 'SUCCESSFUL' })]);
    expect(mirrored.facts!.openReviews[CAROL]).toBeGreaterThan(0);
    // The PR, its diffstat (Bitbucket answers it with a 302 to the repository's: two requests) and
    // tasks, the branch restrictions, the effective default reviewers, bosun.yml.
    expect(mirrored.requests).toBe(7);
    // And the repository, the head's statuses and the open PRs with their reviewers (a page or more).
    expect(live.requests).toBeGreaterThanOrEqual(10);
  });

  it('counts who already reviews open PRs (lists asked for their reviewers): the least-loaded member is picked', async () => {
    await savePolicy({
      groups: { frontend: [CAROL, DAVE] },
      reviewers: { mode: 'on', strategy: 'least-loaded', owners: [{ paths: ['src/ui/**'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false },
      readiness: { mode: 'off' },
    });
    const busyBranch = `feature/${suffix()}`;
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: busyBranch, actor: 'bob', message: 'busy', files: { 'docs/busy.md': 'b\n' } });
    stack.sandbox.actions.createPullRequest({ workspace: WORKSPACE, repo: REPO, actor: 'bob', title: 'Busy', sourceBranch: busyBranch, reviewers: ['carol'] });
    const pr = openPr('WEB-11 Footer', { 'src/ui/footer.ts': 'export const f = 1;\n' });
    await expect.poll(() => prNow(pr.id).reviewerUuids, { timeout: 15_000 }).toEqual([DAVE]);
  });

  it('a reviewer who cannot review (the app\'s bot user: not a workspace member) is dropped and the assignment retried once without them, with a note', async () => {
    const appUser = stack.sandbox.state.users.find((u) => u.kind === 'app_user')!;
    await savePolicy({
      groups: { frontend: [appUser.uuid, CAROL] },
      reviewers: { mode: 'on', strategy: 'least-loaded', maxOpenReviewsPerPerson: 50, owners: [{ paths: ['src/ui/**'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false },
      readiness: { mode: 'off' },
    });
    // The executor records a plan's entry once Bitbucket has answered its step. Held back here as on a
    // busy machine (CI once read the log after Bitbucket showed Carol and before the retry's entry).
    const audit = stack.bosun.services.automation.audit;
    const record = audit.record;
    audit.record = async (entry) => {
      await new Promise((resolve) => setTimeout(resolve, 750));
      return record.call(audit, entry);
    };
    try {
      const pr = openPr('WEB-12 Nav', { 'src/ui/nav.ts': 'export const n = 1;\n' });
      expect((await createdRulesJobDone(pr.id)).state).toBe('succeeded');
      expect(prNow(pr.id).reviewerUuids).toEqual([CAROL]);
      const entries = (await auditFor('pullRequest.addReviewers')).filter((e) => e.planSummary.includes(`#${pr.id}`));
      expect(entries.map((e) => e.outcome).sort()).toEqual(['failed', 'succeeded']);
      expect(entries.find((e) => e.outcome === 'succeeded')!.planSummary).toContain(`Bitbucket refused ${appUser.uuid} as reviewer`);
    } finally {
      audit.record = record;
    }
  });
});
