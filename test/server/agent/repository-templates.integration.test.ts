import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultToolCatalog, createExecutor, createMemoryAuditStore, createMemoryAutoMergeStore, createMemoryExecutionStore, type Executor, type Plan } from '../../../server/agent';
import { createDriftCheckJob, DRIFT_CHECK_JOB } from '../../../server/create-drift-check-job';
import { createReceiver } from '../../../server/jobs';
import { createMemoryRepositoryTemplateStore } from '../../../server/policies/memory-repository-template-store';
import { repositoryTemplateSchema } from '../../../server/policies/repository-template';
import { AGENT_TEST_SCOPES, startAgentStack, type AgentStack } from './start-agent-stack';

const ALICE = '{a11ce000-0000-4000-8000-000000000001}';
const CAROL = '{ca201000-0000-4000-8000-000000000003}';

let stack: AgentStack;
let executor: Executor;
let audit: ReturnType<typeof createMemoryAuditStore>;
const templates = createMemoryRepositoryTemplateStore();
let n = 0;

const service = repositoryTemplateSchema.parse({
  name: 'service',
  summary: 'Back-end services',
  settings: {
    isPrivate: true,
    description: 'A Bosun-managed service',
    branchRestrictions: [
      { kind: 'require_approvals_to_merge', pattern: 'main', value: 2 },
      { kind: 'require_passing_builds_to_merge', pattern: 'main', value: 1 },
      { kind: 'delete', pattern: 'main' },
    ],
    defaultReviewers: [CAROL],
    webhooks: [{ description: 'CI', url: 'https://ci.example.com/bitbucket', events: ['repo:push', 'pullrequest:created'] }],
    pipelinesEnabled: true,
  },
});

beforeAll(async () => {
  stack = await startAgentStack();
  audit = createMemoryAuditStore();
  executor = createExecutor({
    tools: createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore(), templates }),
    clients: stack.clients,
    audit,
    executions: createMemoryExecutionStore(),
    logger: stack.bosun.logger,
    now: () => new Date(),
    installationScopes: AGENT_TEST_SCOPES,
  });
  await templates.save(stack.clientKey, service, ALICE, 0);
  for (const slug of ['tpl-one', 'tpl-two', 'tpl-three', 'tpl-four']) stack.sandbox.actions.createRepository({ workspace: 'acme', slug, actor: 'alice', isPrivate: false });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

async function run(tool: string, input: Record<string, unknown>, opts: { confirmed?: boolean } = {}) {
  const plan: Plan = { steps: [{ tool, input }], summary: tool, source: 'button' };
  n += 1;
  return executor.execute(plan, { tenant: { clientKey: stack.clientKey, workspace: 'acme' }, actor: { userUuid: ALICE, accountId: null, kind: 'user' } }, {
    idempotencyKey: `tpl-${n}`,
    confirmed: opts.confirmed ?? false,
    trigger: { kind: 'test', ref: null },
  });
}

const repoOf = (slug: string) => stack.sandbox.state.repositories.find((r) => r.slug === slug)!;
/** Everything the template governs, as the sandbox holds it. */
function settingsOf(slug: string) {
  const repo = repoOf(slug);
  return {
    isPrivate: repo.isPrivate,
    description: repo.description,
    pipelinesEnabled: repo.pipelinesEnabled ?? false,
    restrictions: stack.sandbox.state.branchRestrictions.filter((r) => r.repoUuid === repo.uuid).map((r) => `${r.kind}:${r.pattern}:${r.value}`).sort(),
    reviewers: stack.sandbox.state.defaultReviewers.filter((d) => d.repoUuid === repo.uuid).map((d) => d.userUuid),
    hooks: stack.sandbox.state.repositoryWebhooks.filter((h) => h.repoUuid === repo.uuid).map((h) => `${h.url}:${h.active}`),
  };
}
const TEMPLATED = {
  isPrivate: true,
  description: 'A Bosun-managed service',
  pipelinesEnabled: true,
  restrictions: ['delete:main:null', 'require_approvals_to_merge:main:2', 'require_passing_builds_to_merge:main:1'],
  reviewers: [CAROL],
  hooks: ['https://ci.example.com/bitbucket:true'],
};

describe('repository templates against the sandbox', () => {
  it('previews per repository without changing anything, applies, and a re-apply changes nothing', async () => {
    const before = settingsOf('tpl-one');
    const preview = await run('repository.previewTemplate', { repos: ['tpl-one', 'tpl-two'], template: 'service' });
    expect(preview.outcome).toBe('succeeded');
    expect(preview.message).toContain('would change 2 of 2 repositories');
    expect(preview.message).toContain('acme/tpl-one: make the repository private; set the description; add branch restriction require_approvals_to_merge = 2 on main');
    expect(settingsOf('tpl-one')).toEqual(before);

    const applied = await run('repository.applyTemplate', { repo: 'tpl-one', template: 'service' });
    expect(applied.outcome).toBe('succeeded');
    expect(applied.message).toContain('Applied template service to acme/tpl-one: 8 changes');
    expect(settingsOf('tpl-one')).toEqual(TEMPLATED);
    expect(await templates.getBinding(stack.clientKey, 'acme/tpl-one')).toMatchObject({ status: 'in-sync', pending: [], error: null });

    const again = await run('repository.applyTemplate', { repo: 'tpl-one', template: 'service' });
    expect(again.message).toContain('acme/tpl-one already matches template service; nothing changed.');
    expect(settingsOf('tpl-one')).toEqual(TEMPLATED);
    const entries = (await audit.list(stack.clientKey)).entries.filter((e) => e.steps[0]?.tool === 'repository.applyTemplate');
    expect(entries).toHaveLength(2);
  });

  it('records what a stopped apply did and did not do, and resumes from there', async () => {
    const fault = stack.sandbox.faults.add({ method: 'POST', pathPattern: '/2.0/repositories/acme/tpl-two/hooks', status: 403 });
    const stopped = await run('repository.applyTemplate', { repo: 'tpl-two', template: 'service' });
    expect(stopped.outcome).toBe('failed');
    expect(stopped.message).toContain('Applied 6 of 8 changes of template service to acme/tpl-two, then stopped at "add webhook https://ci.example.com/bitbucket"');
    expect(stopped.message).toContain('Not applied yet: add webhook https://ci.example.com/bitbucket; enable Pipelines');
    const binding = await templates.getBinding(stack.clientKey, 'acme/tpl-two');
    expect(binding).toMatchObject({ status: 'partial', template: 'service' });
    expect(binding!.applied.map((c) => c.setting)).toEqual(['isPrivate', 'description', 'branchRestriction', 'branchRestriction', 'branchRestriction', 'defaultReviewer']);
    expect(binding!.pending.map((c) => c.setting)).toEqual(['webhook', 'pipelinesEnabled']);
    expect(settingsOf('tpl-two')).toMatchObject({ hooks: [], pipelinesEnabled: false, reviewers: [CAROL] });

    stack.sandbox.faults.remove(fault.id);
    const resumed = await run('repository.applyTemplate', { repo: 'tpl-two', template: 'service' });
    expect(resumed.message).toContain('Applied template service to acme/tpl-two: 2 changes.\n✓ add webhook https://ci.example.com/bitbucket\n✓ enable Pipelines');
    expect(settingsOf('tpl-two')).toEqual(TEMPLATED);
    expect(await templates.getBinding(stack.clientKey, 'acme/tpl-two')).toMatchObject({ status: 'in-sync', error: null });
  });

  it('finds drift made behind its back, and one apply puts it right', async () => {
    const one = repoOf('tpl-one');
    const rule = stack.sandbox.state.branchRestrictions.find((r) => r.repoUuid === one.uuid && r.kind === 'require_approvals_to_merge')!;
    rule.value = 1;
    stack.sandbox.state.repositoryWebhooks.find((h) => h.repoUuid === one.uuid)!.active = false;

    const drift = await run('repository.checkDrift', {});
    expect(drift.message).toBe(
      '1 of 2 repositories differ from their template:\nacme/tpl-one (service): update branch restriction require_approvals_to_merge = 2 on main (now 1); update webhook https://ci.example.com/bitbucket',
    );
    expect(await templates.getBinding(stack.clientKey, 'acme/tpl-one')).toMatchObject({ status: 'drifted' });

    await run('repository.applyTemplate', { repo: 'tpl-one', template: 'service' });
    expect(settingsOf('tpl-one')).toEqual(TEMPLATED);
    // The rule was changed in place, not duplicated.
    expect(stack.sandbox.state.branchRestrictions.filter((r) => r.repoUuid === one.uuid && r.kind === 'require_approvals_to_merge').map((r) => r.id)).toEqual([rule.id]);
    expect((await run('repository.checkDrift', {})).message).toBe('All 2 repositories match their template.');
  });

  it('the scheduled check finds drift too, and records it for the drift list without touching Bitbucket', async () => {
    const { handlers, recurring } = createDriftCheckJob({ templates, tenants: stack.bosun.services.deps.tenants, clients: stack.bosun.services.deps.clients, now: () => new Date(), logger: stack.bosun.logger });
    expect(recurring).toEqual({ type: DRIFT_CHECK_JOB, everyMs: 6 * 60 * 60 * 1000 });
    repoOf('tpl-two').pipelinesEnabled = false;
    const receiver = createReceiver(handlers, { logger: stack.bosun.logger, now: () => new Date() });
    const check = () => receiver.receive({ type: DRIFT_CHECK_JOB, clientKey: stack.clientKey, payload: {} });
    expect(await check()).toEqual({ checked: 2, drifted: 1 });
    expect(await templates.getBinding(stack.clientKey, 'acme/tpl-two')).toMatchObject({ status: 'drifted', pending: [{ setting: 'pipelinesEnabled', from: false, to: true }] });
    expect(repoOf('tpl-two').pipelinesEnabled).toBe(false);
    await run('repository.applyTemplate', { repo: 'tpl-two', template: 'service' });
    expect(await check()).toEqual({ checked: 2, drifted: 0 });
  });

  it('creates a repository from a template with every step reported, and a second ask finishes rather than duplicates', async () => {
    const created = await run('repository.createFromTemplate', { repo: 'tpl-made', template: 'service' });
    expect(created.outcome).toBe('succeeded');
    expect(created.message.split('\n').slice(0, 3)).toEqual(['Created acme/tpl-made from template service.', '✓ created repository acme/tpl-made', '✓ add branch restriction require_approvals_to_merge = 2 on main']);
    expect(settingsOf('tpl-made')).toEqual(TEMPLATED);
    const again = await run('repository.createFromTemplate', { repo: 'tpl-made', template: 'service' });
    expect(again.message).toBe('Finished acme/tpl-made from template service.\n✓ repository acme/tpl-made was already there');
    expect(stack.sandbox.state.repositories.filter((r) => r.slug === 'tpl-made')).toHaveLength(1);
  });

  it('refuses an unknown template and names the ones there are', async () => {
    const result = await run('repository.applyTemplate', { repo: 'tpl-three', template: 'library' });
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('There is no repository template named library; there are service.');
  });

  it('commits the README skeleton on the main branch before a push restriction could refuse it; stopped there, a second ask resumes and writes it once', async () => {
    const readme = '# Docs\n\nWritten from the docs template.\n';
    // A push restriction for nobody: a README written after it would be refused.
    const docs = repositoryTemplateSchema.parse({ name: 'docs', settings: { readme, isPrivate: false, branchRestrictions: [{ kind: 'push', pattern: 'main' }] } });
    await templates.save(stack.clientKey, docs, ALICE, 0);
    const mainHead = () => stack.sandbox.state.branches.find((b) => b.repoUuid === repoOf('tpl-docs').uuid && b.name === 'main')!.target;
    const pushRules = () => stack.sandbox.state.branchRestrictions.filter((r) => r.repoUuid === repoOf('tpl-docs').uuid && r.kind === 'push');

    const fault = stack.sandbox.faults.add({ method: 'POST', pathPattern: '/2.0/repositories/acme/tpl-docs/src', status: 403 });
    const stopped = await run('repository.createFromTemplate', { repo: 'tpl-docs', template: 'docs' });
    expect(stopped.outcome).toBe('failed');
    expect(stopped.message).toContain('✓ created repository acme/tpl-docs, then stopped at README.md from template docs');
    expect(stopped.message).toContain("Not applied yet: README.md and the template's settings.");
    expect(pushRules()).toEqual([]);
    stack.sandbox.faults.remove(fault.id);

    const resumed = await run('repository.createFromTemplate', { repo: 'tpl-docs', template: 'docs' });
    expect(resumed.outcome).toBe('succeeded');
    const head = mainHead();
    expect(resumed.message.split('\n').slice(1, 4)).toEqual([
      '✓ repository acme/tpl-docs was already there',
      `✓ committed README.md from the template (${head.slice(0, 12)})`,
      '✓ add branch restriction push on main',
    ]);
    // The commit is on main, its file readable through GET …/src/{commit}/{path}.
    expect(await stack.installationClient.source.getFile('acme', 'tpl-docs', head, 'README.md')).toBe(readme);
    expect(stack.sandbox.state.commits.find((c) => c.hash === head)!.message).toBe('Add README.md from repository template docs\n');
    expect(pushRules()).toHaveLength(1);
    expect(repoOf('tpl-docs').isPrivate).toBe(false);

    const again = await run('repository.createFromTemplate', { repo: 'tpl-docs', template: 'docs' });
    expect(again.message).toContain('✓ README.md from the template was already there');
    expect(mainHead()).toBe(head);
  });

  it('puts the README on the main branch the template names, which the create then makes the main branch', async () => {
    await templates.save(stack.clientKey, repositoryTemplateSchema.parse({ name: 'trunk', settings: { readme: '# On trunk\n', mainBranch: 'trunk' } }), ALICE, 0);
    const created = await run('repository.createFromTemplate', { repo: 'tpl-trunk', template: 'trunk' });
    expect(created.outcome).toBe('succeeded');
    expect(created.message).toContain('✓ set the main branch to trunk (now main)');
    expect(repoOf('tpl-trunk').mainbranch).toBe('trunk');
    expect(await stack.installationClient.source.getFile('acme', 'tpl-trunk', 'trunk', 'README.md')).toBe('# On trunk\n');
  });

  it('leaves alone a README someone has worked on when it is asked to finish a repository from a template', async () => {
    stack.sandbox.actions.createRepository({ workspace: 'acme', slug: 'tpl-own', actor: 'alice' });
    stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'tpl-own', branch: 'main', actor: 'alice', message: 'Our README', files: { 'README.md': '# Ours\n' } });
    await templates.save(stack.clientKey, repositoryTemplateSchema.parse({ name: 'docs-only', settings: { readme: '# Template\n' } }), ALICE, 0);
    const finished = await run('repository.createFromTemplate', { repo: 'tpl-own', template: 'docs-only' });
    expect(finished.outcome).toBe('succeeded');
    expect(finished.message).toContain('• README.md left as it is: the repository already has its own README.md and commits after its first');
    expect(await stack.installationClient.source.getFile('acme', 'tpl-own', 'main', 'README.md')).toBe('# Ours\n');
  });
});

describe('one setting at a time against the sandbox', () => {
  it('requires 2 approvals on main once, changes a rule with another number in place, and makes carol a default reviewer once', async () => {
    const repo = repoOf('tpl-four');
    const approvals = () => stack.sandbox.state.branchRestrictions.filter((r) => r.repoUuid === repo.uuid && r.kind === 'require_approvals_to_merge' && r.pattern === 'main');
    const first = await run('branchRestriction.ensure', { repo: 'tpl-four', kind: 'require_approvals_to_merge', pattern: 'main', value: 2 });
    expect(first.message).toBe('Added require_approvals_to_merge = 2 on main to acme/tpl-four.');
    const again = await run('branchRestriction.ensure', { repo: 'tpl-four', kind: 'require_approvals_to_merge', pattern: 'main', value: 2 });
    expect(again.message).toContain('already has require_approvals_to_merge = 2 on main');
    const three = await run('branchRestriction.ensure', { repo: 'tpl-four', kind: 'require_approvals_to_merge', pattern: 'main', value: 3 });
    expect(three.message).toBe("Changed acme/tpl-four's require_approvals_to_merge on main from 2 to 3.");
    expect(approvals().map((r) => r.value)).toEqual([3]);

    const carol = await run('defaultReviewer.add', { repo: 'tpl-four', users: ['carol'] });
    expect(carol.outcome).toBe('succeeded');
    expect(carol.message).toMatch(/is now a default reviewer of acme\/tpl-four\.$/);
    const twice = await run('defaultReviewer.add', { repo: 'tpl-four', users: ['@carol'] });
    expect(twice.message).toContain('already a default reviewer');
    expect(stack.sandbox.state.defaultReviewers.filter((d) => d.repoUuid === repo.uuid).map((d) => d.userUuid)).toEqual([CAROL]);
  });
});

describe('branch hygiene against the sandbox', () => {
  it('lists merged and stale branches, and deletes the selected ones only once confirmed, with an audit entry', async () => {
    const ref = { workspace: 'acme', repo: 'tpl-three' };
    stack.sandbox.actions.pushCommit({ ...ref, branch: 'feature/done', actor: 'alice', message: 'Done' });
    const pr = stack.sandbox.actions.createPullRequest({ ...ref, actor: 'alice', title: 'Done', sourceBranch: 'feature/done' });
    stack.sandbox.actions.merge({ ...ref, id: pr.id }, 'alice');
    const old = stack.sandbox.actions.pushCommit({ ...ref, branch: 'spike/old', actor: 'alice', message: 'Old idea' });
    stack.sandbox.state.commits.find((c) => c.hash === old.hash)!.date = '2020-01-01T00:00:00.000Z';
    stack.sandbox.actions.pushCommit({ ...ref, branch: 'feature/open', actor: 'alice', message: 'In review' });
    stack.sandbox.actions.createPullRequest({ ...ref, actor: 'alice', title: 'Open', sourceBranch: 'feature/open' });
    stack.sandbox.actions.pushCommit({ ...ref, branch: 'feature/fresh', actor: 'alice', message: 'Fresh' });

    const listed = await run('branch.listStale', { repo: 'tpl-three' });
    expect(listed.message).toBe(`acme/tpl-three: 2 branches to clean up:\nfeature/done (merged in #${pr.id})\nspike/old (no commit since 2020-01-01)`);

    await expect(run('branch.deleteMany', { repo: 'tpl-three', names: ['feature/done', 'spike/old'] })).rejects.toMatchObject({ code: 'AGENT_CONFIRMATION_REQUIRED' });
    const branchesOf = () => stack.sandbox.state.branches.filter((b) => b.repoUuid === repoOf('tpl-three').uuid).map((b) => b.name).sort();
    expect(branchesOf()).toContain('spike/old');
    const deleted = await run('branch.deleteMany', { repo: 'tpl-three', names: ['feature/done', 'spike/old'] }, { confirmed: true });
    expect(deleted.message).toBe('Deleted 2 branches in acme/tpl-three: feature/done, spike/old.');
    expect(branchesOf()).toEqual(['feature/fresh', 'feature/open', 'main']);
    const entry = (await audit.list(stack.clientKey)).entries.find((e) => e.steps[0]?.tool === 'branch.deleteMany');
    expect(entry).toMatchObject({ outcome: 'succeeded', steps: [{ input: { names: ['feature/done', 'spike/old'] } }] });

    const main = await run('branch.deleteMany', { repo: 'tpl-three', names: ['main'] }, { confirmed: true });
    expect(main.message).toContain('is the main branch');
    expect(branchesOf()).toContain('main');
  });
});
