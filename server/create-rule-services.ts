import { z } from 'zod';
import { isBitbucketFailure, type BitbucketClient, type PullRequest } from './bitbucket';
import { webhookDataSchemas } from './bitbucket/webhooks/webhook-event-schemas';
import { BOSUN_MARKER_PREFIX, BUILT_IN_RULE_KINDS, createRuleKindRegistry, planPullRequestRules, toStickyMarker, STALE_STICKY_KEY, toStaleRemindedAt, type Executor, type PullRequestRulesPort, type PullRequestRuleFacts, type PushRuleFacts, type ReviewerCursorStore, type RuleFactsSource, type RuleKindRegistry, type StalePullRequestFacts } from './agent';
import { toReadinessInput } from './agent/readiness/to-readiness-input';
import type { ClientResolver } from './agent';
import type { BudgetScope } from './budget';
import type { InstallationClientFactory, TenantStore, TenantWithSecret } from './host';
import type { RecurringJob, JobHandler, JobQueue } from './jobs';
import type { WebhookDeliveryStore } from './jobs/webhook-delivery-store';
import { createRuleAutomationHandlers, toDeliveryJobSources, type DeliveryJobSource } from './jobs';
import { createRuleAutomations, RULES_PULL_REQUEST_JOB, RULES_STALE_JOB, type RulesPullRequestJob } from './create-rule-automations';
import type { Logger } from './log';
import type { MirrorStore } from './mirror';
import { loadMirroredRuleFacts } from './load-mirrored-rule-facts';
import { BOSUN_FILE_PATH, parseBosunFile, resolvePolicy, toBosunFileLocation, type EffectivePolicy, type PolicyScope, type PolicyStore, type ResolvedPolicy } from './policies';

/** How much the stale pass reads per run: the most recently updated repositories, their open PRs. */
const STALE_REPOSITORIES = 50;
const STALE_PRS_PER_REPOSITORY = 100;
/** Bosun's own reminder bumps the PR's updated_on; an update this close after it is that bump (unverified timing). */
const OWN_BUMP_MS = 60_000;
const STALE_EVERY_MS = 60 * 60 * 1000;

export interface RuleServicesDeps {
  policies: PolicyStore;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  deliveries: WebhookDeliveryStore;
  executor: () => Executor;
  logger: Logger;
  now: () => Date;
  staleEveryMs?: number;
  /** Charges the rules' reads to the budget's automation lane. */
  budgetScope?: BudgetScope;
  /** The workspace read model: the stale pass lists repositories and open PRs from it once they are synced. */
  mirror?: MirrorStore;
  /** Round-robin reviewer positions, shared by every instance. */
  cursors?: ReviewerCursorStore;
}

/** The automation rules wired: their facts (policy store, bosun.yml, Bitbucket), job handlers and the stale schedule. */
export function createRuleServices(deps: RuleServicesDeps): { facts: RuleFactsSource; ruleKinds: RuleKindRegistry; handlers: Record<string, JobHandler>; deliveryJobs: DeliveryJobSource[]; recurring: RecurringJob } {
  const facts = createRuleFactsSource(deps);
  const automations = createRuleAutomations({ facts, now: deps.now, cursors: deps.cursors });
  // The rules act as the installation only (the executor resolves its own clients per step).
  const resolver: ClientResolver = {
    async forInstallation(clientKey, context) {
      const tenant = await deps.tenants.getWithSecret(clientKey);
      if (!tenant) throw new Error('Bosun is no longer installed in this workspace');
      return deps.clients.forTenant(tenant, context);
    },
    forUser: () => Promise.reject(new Error('Automation rules act as the installation, never as a person')),
  };
  return {
    facts,
    // A new rule kind: its own file (it augments agent's RuleKinds) and one more entry here; rules-plan.ts is not touched.
    ruleKinds: createRuleKindRegistry([...BUILT_IN_RULE_KINDS]),
    // A new rule-driven automation is one more entry of this list (create-rule-automations.ts): jobs/ is not touched.
    handlers: createRuleAutomationHandlers({ tenants: deps.tenants, clients: resolver, executor: deps.executor, logger: deps.logger }, automations),
    deliveryJobs: toDeliveryJobSources(automations),
    recurring: { type: RULES_STALE_JOB, everyMs: deps.staleEveryMs ?? STALE_EVERY_MS },
  };
}

/**
 * The rules as the agent's tools reach them: a preview plans with the stored round-robin
 * positions without taking a turn and writes nothing; a run queues the rules' own PR job (as on
 * a new PR: reviewers once per PR, statuses when they change), which acts through the executor as
 * the rules, each in its mode. The facts are read as the rules read them (automation lane).
 */
export function createPullRequestRulesPort(deps: { facts: RuleFactsSource; cursors?: ReviewerCursorStore | undefined; queue: Pick<JobQueue, 'enqueue'>; now: () => Date }): PullRequestRulesPort {
  return {
    async preview(clientKey, ref) {
      const facts = await deps.facts.loadPullRequest(clientKey, { ...ref, event: 'created' });
      if (!facts) return null;
      const stored = deps.cursors ? await deps.cursors.load(clientKey, facts.repositoryUuid, Object.keys(facts.resolved.policy.groups)) : {};
      const cursors = Object.fromEntries(Object.entries(stored).map(([g, c]) => [g, c.position]));
      const plans = planPullRequestRules(facts, deps.now(), { cursors });
      return { entries: plans.map((p) => ({ rule: p.rule, mode: p.mode, wouldDo: p.wouldDo })) };
    },
    async run(clientKey, ref, dedupeKey) {
      const payload: RulesPullRequestJob = { ...ref, event: 'created' };
      const { created } = await deps.queue.enqueue({ clientKey, type: RULES_PULL_REQUEST_JOB, payload, ...(dedupeKey ? { dedupeKey } : {}) });
      return { queued: created };
    },
  };
}

/** Open PRs each person reviews, the PR at hand left out. */
const toOpenReviews = (prs: readonly Pick<PullRequest, 'id' | 'reviewers'>[], exceptId: number): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const other of prs) for (const r of other.reviewers ?? []) if (r.uuid && other.id !== exceptId) counts[r.uuid] = (counts[r.uuid] ?? 0) + 1;
  return counts;
};

/** The destination branch's bosun.yml text, or null when there is none (never the PR's source branch). */
export async function loadBosunFile(client: BitbucketClient, workspace: string, repo: string, branch: string): Promise<string | null> {
  try {
    return await client.source.getFile(workspace, repo, branch, BOSUN_FILE_PATH);
  } catch (error) {
    if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
    throw error;
  }
}

export function createRuleFactsSource(deps: Pick<RuleServicesDeps, 'policies' | 'tenants' | 'clients' | 'deliveries' | 'now' | 'budgetScope' | 'mirror'>): RuleFactsSource {
  const open = async (clientKey: string): Promise<{ tenant: TenantWithSecret; client: BitbucketClient; ws: string } | null> => {
    const tenant = await deps.tenants.getWithSecret(clientKey);
    if (!tenant) return null;
    const raw = deps.clients.forTenant(tenant);
    const client = deps.budgetScope ? deps.budgetScope.bind(raw, { clientKey, credential: 'installation', lane: 'automation', purpose: 'rules' }) : raw;
    return { tenant, client, ws: tenant.workspaceUuid ?? tenant.workspaceSlug ?? '' };
  };
  const resolveFor = async (clientKey: string, repositoryUuid: string, bosunFile: string | null | undefined): Promise<ResolvedPolicy> => {
    const [workspaceLayer, repositoryLayer] = await Promise.all([deps.policies.get(clientKey, 'workspace'), deps.policies.get(clientKey, repositoryUuid as PolicyScope)]);
    return resolvePolicy([
      { source: 'workspace', data: workspaceLayer?.layer },
      { source: 'repository', data: repositoryLayer?.layer },
      ...(bosunFile === undefined ? [] : [parseBosunFile(bosunFile)]),
    ]);
  };

  return {
    async loadPullRequest(clientKey, ref): Promise<PullRequestRuleFacts | null> {
      const opened = await open(clientKey);
      if (!opened) return null;
      const { client, ws } = opened;
      let pr: PullRequest;
      try {
        pr = await client.pullRequests.get(ws, ref.repositoryUuid, ref.pullRequestId);
      } catch (error) {
        if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
        throw error;
      }
      if (pr.state !== 'OPEN') return null;
      const destination = toBosunFileLocation(pr).ref;
      // Reviewer load matters only where reviewers may be chosen (not for approvals and the like).
      const wantOpenReviews = ref.event !== 'other';
      // What the mirror keeps current by webhook is read there; Bitbucket answers the rest.
      const mirrored = deps.mirror ? await loadMirroredRuleFacts(deps.mirror, clientKey, ref, pr.source.commit?.hash ?? null, wantOpenReviews) : null;
      const [repo, diffstat, statuses, restrictions, defaults, tasks, openReviews, bosunFile] = await Promise.all([
        mirrored?.repository ?? client.repositories.get(ws, ref.repositoryUuid).then((r) => ({ slug: r.slug ?? null, mainBranch: r.mainbranch?.name ?? null })),
        ref.event === 'other' ? Promise.resolve([]) : client.pullRequests.getDiffstat(ws, ref.repositoryUuid, pr.id),
        mirrored?.statuses ?? client.pullRequests.listStatuses(ws, ref.repositoryUuid, pr.id),
        client.branchRestrictions.list(ws, ref.repositoryUuid),
        client.defaultReviewers.listEffective(ws, ref.repositoryUuid),
        client.pullRequests.listTasks(ws, ref.repositoryUuid, pr.id),
        !wantOpenReviews ? Promise.resolve({}) : (mirrored?.openReviews ?? client.pullRequests.list(ws, ref.repositoryUuid, { state: ['OPEN'], max: 200, withParticipants: true }).then((prs) => toOpenReviews(prs, pr.id))),
        loadBosunFile(client, ws, ref.repositoryUuid, destination),
      ]);
      const resolved = await resolveFor(clientKey, ref.repositoryUuid, bosunFile);
      const defaultReviewerUuids = defaults.flatMap((d) => (d.user.uuid ? [d.user.uuid] : []));
      return {
        event: ref.event,
        workspace: opened.tenant.workspaceSlug ?? ws,
        repo: repo.slug ?? ref.repositoryUuid,
        repositoryUuid: ref.repositoryUuid,
        pullRequest: {
          id: pr.id,
          title: pr.title,
          description: pr.description ?? '',
          state: pr.state,
          authorUuid: pr.author?.uuid ?? '',
          reviewerUuids: (pr.reviewers ?? []).flatMap((r) => (r.uuid ? [r.uuid] : [])),
          sourceBranch: pr.source.branch.name,
          commitHash: pr.source.commit?.hash ?? null,
        },
        changedPaths: diffstat.flatMap((d) => [d.new?.path, d.old?.path].filter((p): p is string => typeof p === 'string')),
        defaultReviewerUuids,
        openReviews,
        readinessInput: toReadinessInput(pr, { statuses, restrictions, defaultReviewerUuids, mainBranch: repo.mainBranch, tasks: tasks.map((t) => ({ state: t.state })) }),
        resolved,
        bosunFilePresent: bosunFile !== null,
      };
    },

    async loadPush(clientKey, requestUuid): Promise<PushRuleFacts[]> {
      const [opened, delivery] = await Promise.all([open(clientKey), deps.deliveries.getByRequestUuid(clientKey, requestUuid)]);
      if (!opened || !delivery) return [];
      const parsed = webhookDataSchemas['repo:push'].safeParse(delivery.payload);
      if (!parsed.success) return [];
      const { push, repository, actor } = parsed.data;
      const branches = push.changes.flatMap((c) => (!c.closed && c.new && c.new.type === 'branch' ? [{ name: c.new.name, message: (c.new as { target?: { message?: unknown } }).target?.message }] : []));
      if (branches.length === 0) return [];
      const { client, ws } = opened;
      const repo = await client.repositories.get(ws, repository.uuid);
      const openPrs = await client.pullRequests.list(ws, repository.uuid, { state: ['OPEN'], max: 200 });
      const openPullRequests = openPrs.map((p) => ({ id: p.id, source: p.source.branch.name, destination: p.destination.branch.name }));
      // The bot rules come from the workspace and repository layers and the main branch's bosun.yml (no PR exists yet).
      const bosunFile = repo.mainbranch?.name ? await loadBosunFile(client, ws, repository.uuid, repo.mainbranch.name) : null;
      const { policy } = await resolveFor(clientKey, repository.uuid, bosunFile);
      return branches.map((b) => ({
        push: {
          branch: b.name,
          closed: false,
          repository: repository.full_name,
          actorDisplayName: actor.display_name ?? actor.nickname ?? 'someone',
          commitMessage: typeof b.message === 'string' ? b.message : undefined,
          workspace: opened.tenant.workspaceSlug ?? ws,
          repo: repo.slug ?? repository.uuid,
          repositoryUuid: repository.uuid,
        },
        policy,
        openPullRequests,
      }));
    },

    async listStaleCandidates(clientKey) {
      // Reading every open PR's comments hourly costs requests: only where an admin set up the stale
      // rule (a stored layer with a stale section) does the pass read anything.
      const stored = await deps.policies.list(clientKey);
      if (!stored.some((p) => p.layer.stale !== undefined)) return [];
      const opened = await open(clientKey);
      if (!opened) return [];
      const { client, ws } = opened;
      const workspacePolicy = resolvePolicy([{ source: 'workspace', data: (await deps.policies.get(clientKey, 'workspace'))?.layer }]).policy;
      const repos = await listOpenPullRequests(deps.mirror, client, clientKey, ws);
      const out: { pullRequest: StalePullRequestFacts; policy: EffectivePolicy }[] = [];
      for (const { repo, prs } of repos) {
        const repoLayer = await deps.policies.get(clientKey, repo.uuid as PolicyScope);
        const policy = repoLayer ? (await resolveFor(clientKey, repo.uuid, undefined)).policy : workspacePolicy;
        if (policy.stale.mode === 'off') continue;
        for (const pr of prs) {
          const comments = await client.pullRequests.listComments(ws, repo.uuid, pr.id, { max: 1000 });
          const marker = toStickyMarker(STALE_STICKY_KEY);
          const reminder = comments.find((c) => !c.deleted && c.content.raw.includes(marker));
          const remindedAt = reminder ? (toStaleRemindedAt(reminder.content.raw) ?? reminder.updated_on ?? reminder.created_on ?? null) : null;
          out.push({
            pullRequest: {
              workspace: opened.tenant.workspaceSlug ?? ws,
              repo: repo.slug ?? repo.uuid,
              repositoryUuid: repo.uuid,
              id: pr.id,
              title: pr.title,
              state: pr.state,
              lastActivityAt: toLastActivity(pr, comments, remindedAt, deps.now()),
              remindedAt,
            },
            policy,
          });
        }
      }
      return out;
    },
  };
}

const mirroredPullRequestSchema = z.looseObject({ title: z.string(), created_on: z.string().optional(), updated_on: z.string().optional() });

type StaleRepository = { repo: { uuid: string; slug?: string | undefined }; prs: { id: number; title: string; state: string; created_on?: string | undefined; updated_on?: string | undefined }[] };

/**
 * Repositories and their open PRs for the stale pass: from the mirror when it has synced the
 * repositories' pull requests (no Bitbucket list calls), else listed from Bitbucket (a fresh install).
 */
async function listOpenPullRequests(mirror: MirrorStore | undefined, client: BitbucketClient, clientKey: string, ws: string): Promise<StaleRepository[]> {
  const mirrored = mirror ? await mirror.listRepositories(clientKey) : [];
  if (mirror && mirrored.length > 0 && mirrored.every((r) => r.pullRequestsSyncedAt !== null)) {
    const out: StaleRepository[] = [];
    for (const r of mirrored.slice(0, STALE_REPOSITORIES)) {
      const prs = (await mirror.listPullRequests(clientKey, r.uuid, ['OPEN'])).slice(0, STALE_PRS_PER_REPOSITORY).flatMap((p) => {
        const parsed = mirroredPullRequestSchema.safeParse(JSON.parse(p.dataJson));
        return parsed.success ? [{ id: p.id, state: p.state, title: parsed.data.title, created_on: parsed.data.created_on, updated_on: p.updatedOn }] : [];
      });
      out.push({ repo: { uuid: r.uuid, slug: r.fullName.split('/')[1] }, prs });
    }
    return out;
  }
  const repos = await client.repositories.list(ws, { sort: '-updated_on', max: STALE_REPOSITORIES });
  return Promise.all(repos.map(async (repo) => ({ repo, prs: await client.pullRequests.list(ws, repo.uuid, { state: ['OPEN'], max: STALE_PRS_PER_REPOSITORY }) })));
}

/**
 * A PR's last activity by a person: its `updated_on`, except that Bosun's own comments (its
 * reminder bumps `updated_on`) do not count; then people's comments and the PR's creation do.
 */
export function toLastActivity(
  pr: { created_on?: string | undefined; updated_on?: string | undefined },
  comments: readonly { deleted?: boolean | undefined; content: { raw: string }; created_on?: string | undefined; updated_on?: string | null | undefined }[],
  remindedAt: string | null,
  now: Date,
): string {
  const times: number[] = [];
  if (pr.created_on) times.push(Date.parse(pr.created_on));
  for (const c of comments) if (!c.deleted && !c.content.raw.includes(BOSUN_MARKER_PREFIX)) times.push(Date.parse(c.updated_on ?? c.created_on ?? ''));
  const updated = pr.updated_on ? Date.parse(pr.updated_on) : NaN;
  const reminded = remindedAt ? Date.parse(remindedAt) : NaN;
  if (!Number.isNaN(updated) && (Number.isNaN(reminded) || updated > reminded + OWN_BUMP_MS || updated < reminded)) times.push(updated);
  const valid = times.filter((t) => !Number.isNaN(t));
  return new Date(valid.length > 0 ? Math.max(...valid) : now.getTime()).toISOString();
}
