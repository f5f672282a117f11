import { z } from 'zod';
import type { Account, Branch, BranchRestriction, Pipeline } from '../bitbucket';
import type { MirrorSource } from './mirror-source';
import { toInstant, type BranchRecord, type MirrorStore, type RepositoryFactKind } from './mirror-store';
import { mergeStrategiesFactSchema, pipelinesConfigFactSchema, toMergeStrategiesFact, toWebhookFact, webhookFactSchema } from './repository-settings-facts';

/** What the mirror keeps of each fact: the fields views and rules read, validated again on the way out. */
const reviewerFact = z.object({ uuid: z.string().nullable(), displayName: z.string().nullable(), nickname: z.string().nullable() });
const restrictionFact = z.object({
  id: z.number(), kind: z.string(), pattern: z.string().nullable(), branchType: z.string().nullable(), value: z.number().nullable(),
  // Who is exempt (`{uuid}`s, group slugs): what a template compares (absent in facts listed before migration 0033).
  users: z.array(z.string()).optional(), groups: z.array(z.string()).optional(),
});
const pipelineFact = z.object({
  uuid: z.string(), buildNumber: z.number(), state: z.string(), result: z.string().nullable(), refName: z.string().nullable(),
  commitHash: z.string().nullable(), createdOn: z.string(), completedOn: z.string().nullable(),
});
export type DefaultReviewerFact = z.infer<typeof reviewerFact>;
export type BranchRestrictionFact = z.infer<typeof restrictionFact>;
export type PipelineFact = z.infer<typeof pipelineFact>;

const FACT_SCHEMAS = {
  'default-reviewers': z.array(reviewerFact),
  'branch-restrictions': z.array(restrictionFact),
  pipelines: z.array(pipelineFact),
  webhooks: z.array(webhookFactSchema),
  'pipelines-config': pipelinesConfigFactSchema,
  'merge-strategies': mergeStrategiesFactSchema,
} satisfies Record<RepositoryFactKind, z.ZodType>;

/** Recent pipelines kept per repository (one page, newest first). */
export const RECENT_PIPELINES = 10;
/** Facts older than this are refreshed by the sweep (Bitbucket sends no webhook when they change). */
export const FACTS_MAX_AGE_MS = 6 * 3_600_000;

export interface RepositoryFacts {
  branches: Array<{ name: string; targetHash: string; targetDate: string | null }>;
  /** null: the installation may not read them (reviewers and restrictions need repository:admin, pipelines pipeline). */
  defaultReviewers: DefaultReviewerFact[] | null;
  branchRestrictions: BranchRestrictionFact[] | null;
  recentPipelines: PipelineFact[] | null;
  /** When the oldest fact was listed; null when some were never listed. */
  syncedAt: Date | null;
}

/** The main branch's name from a mirrored repository's JSON. */
const toMainBranch = (dataJson: string | undefined): string | null => {
  try {
    const name = (JSON.parse(dataJson ?? 'null') as { mainbranch?: { name?: unknown } } | null)?.mainbranch?.name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
};

export function toBranchRecord(branch: Pick<Branch, 'name' | 'target'>): BranchRecord | null {
  const hash = branch.target?.hash;
  return hash ? { name: branch.name, targetHash: hash, targetDate: toInstant(branch.target?.date ?? null) } : null;
}

const toReviewer = (a: Account): DefaultReviewerFact => ({ uuid: a.uuid ?? null, displayName: a.display_name ?? null, nickname: a.nickname ?? null });
const toRestriction = (r: BranchRestriction): BranchRestrictionFact => ({
  id: r.id, kind: r.kind, pattern: r.pattern ?? null, branchType: r.branch_type ?? null, value: r.value ?? null,
  users: (r.users ?? []).flatMap((u) => (u.uuid ? [u.uuid] : [])), groups: (r.groups ?? []).flatMap((g) => (g.slug ? [g.slug] : [])),
});
const toPipeline = (p: Pipeline): PipelineFact => ({
  uuid: p.uuid, buildNumber: p.build_number, state: p.state.name, result: p.state.result?.name ?? null, refName: p.target.ref_name ?? null,
  commitHash: p.target.commit?.hash ?? null, createdOn: p.created_on, completedOn: p.completed_on ?? null,
});

/** Stored instead of a list Bitbucket refused (403: an installation without repository:admin): not retried until it is stale. */
const UNAVAILABLE = JSON.stringify({ unavailable: 'forbidden' });
const isForbidden = (err: unknown): boolean => (err as { status?: unknown } | null)?.status === 403;
const orUnavailable = <T>(read: Promise<T[]>): Promise<T[] | null> => read.catch((err: unknown) => {
  if (isForbidden(err)) return null;
  throw err;
});
/** Bitbucket answers 404 (or 400) for a workspace that never set Pipelines up: known as "not shown", not as off. */
const isNotShown = (err: unknown): boolean => [400, 404].includes((err as { status?: unknown } | null)?.status as number);

export interface RepositoryFactsSync {
  /**
   * Lists a repository's branches, default reviewers, branch restrictions, recent pipelines, webhooks and
   * Pipelines configuration: 6 requests (more for over 100 branches); the main branch's merge strategies
   * come with the branches.
   */
  syncFacts(clientKey: string, source: MirrorSource, repositoryUuid: string): Promise<void>;
  /** The sweep's share: up to `max` repositories whose facts are missing or older than {@link FACTS_MAX_AGE_MS}. */
  refreshStaleFacts(clientKey: string, source: MirrorSource, max: number): Promise<number>;
  loadFacts(clientKey: string, repositoryUuid: string): Promise<RepositoryFacts>;
}

export function createRepositoryFactsSync(deps: { store: MirrorStore; now: () => Date }): RepositoryFactsSync {
  const { store, now } = deps;
  const syncFacts: RepositoryFactsSync['syncFacts'] = async (clientKey, source, repositoryUuid) => {
    const [branches, reviewers, restrictions, pipelines, hooks, pipelinesConfig, repository] = await Promise.all([
      source.listBranches(repositoryUuid),
      orUnavailable(source.listDefaultReviewers(repositoryUuid)),
      orUnavailable(source.listBranchRestrictions(repositoryUuid)),
      orUnavailable(source.listRecentPipelines(repositoryUuid, RECENT_PIPELINES)),
      orUnavailable(source.listWebhooks(repositoryUuid)),
      source.getPipelinesConfig(repositoryUuid).then(
        (c) => ({ enabled: c.enabled ?? false }),
        (err: unknown) => {
          if (isNotShown(err)) return { enabled: null };
          if (isForbidden(err)) return null;
          throw err;
        },
      ),
      store.getRepository(clientKey, repositoryUuid),
    ]);
    const at = now();
    await store.replaceBranches(clientKey, repositoryUuid, branches.map(toBranchRecord).filter((b) => b !== null), at);
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'default-reviewers', reviewers ? JSON.stringify(reviewers.map(toReviewer)) : UNAVAILABLE, at);
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'branch-restrictions', restrictions ? JSON.stringify(restrictions.map(toRestriction)) : UNAVAILABLE, at);
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'pipelines', pipelines ? JSON.stringify(pipelines.slice(0, RECENT_PIPELINES).map(toPipeline)) : UNAVAILABLE, at);
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'webhooks', hooks ? JSON.stringify(hooks.map(toWebhookFact)) : UNAVAILABLE, at);
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'pipelines-config', pipelinesConfig ? JSON.stringify(pipelinesConfig) : UNAVAILABLE, at);
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'merge-strategies', JSON.stringify(toMergeStrategiesFact(toMainBranch(repository?.dataJson), branches)), at);
  };
  return {
    syncFacts,
    async refreshStaleFacts(clientKey, source, max) {
      const stale = await store.listRepositoriesWithStaleFacts(clientKey, new Date(now().getTime() - FACTS_MAX_AGE_MS), max);
      for (const uuid of stale) await syncFacts(clientKey, source, uuid);
      return stale.length;
    },
    async loadFacts(clientKey, repositoryUuid) {
      const [branches, facts] = await Promise.all([store.listBranches(clientKey, repositoryUuid), store.loadRepositoryFacts(clientKey, repositoryUuid)]);
      const read = <T>(kind: RepositoryFactKind, schema: z.ZodType<T[]>): T[] | null => {
        const fact = facts.find((f) => f.kind === kind);
        if (!fact) return [];
        const parsed = schema.safeParse(JSON.parse(fact.dataJson));
        return parsed.success ? parsed.data : null;
      };
      const complete = Object.keys(FACT_SCHEMAS).every((kind) => facts.some((f) => f.kind === kind));
      return {
        branches: branches.map((b) => ({ name: b.name, targetHash: b.targetHash, targetDate: b.targetDate })),
        defaultReviewers: read('default-reviewers', FACT_SCHEMAS['default-reviewers']),
        branchRestrictions: read('branch-restrictions', FACT_SCHEMAS['branch-restrictions']),
        recentPipelines: read('pipelines', FACT_SCHEMAS.pipelines),
        syncedAt: complete ? facts.reduce((oldest, f) => (f.syncedAt < oldest ? f.syncedAt : oldest), facts[0]!.syncedAt) : null,
      };
    },
  };
}

/** Bitbucket's branch glob: `*` matches any run of characters (`release/*`, `*`); the rest is literal (unverified for `?` and classes). */
export function isBranchMatch(pattern: string, branch: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(branch);
}

/** The dashboard's summary of a repository's facts for the branches its open pull requests target. */
export function toRepositoryFactsSummary(facts: RepositoryFacts, targetBranches: string[]): {
  branchCount: number;
  targetBranches: Array<{ name: string; head: string | null; restrictions: string[] | null }>;
  defaultReviewers: string[] | null;
  recentPipelines: Array<{ buildNumber: number; refName: string | null; state: string; result: string | null; createdOn: string }> | null;
  syncedAt: string | null;
} {
  const heads = new Map(facts.branches.map((b) => [b.name, b.targetHash]));
  return {
    branchCount: facts.branches.length,
    targetBranches: [...new Set(targetBranches)].sort().map((name) => ({
      name,
      head: heads.get(name)?.slice(0, 12) ?? null,
      restrictions: facts.branchRestrictions === null ? null : facts.branchRestrictions
        .filter((r) => r.pattern !== null && r.pattern !== '' && isBranchMatch(r.pattern, name))
        .map((r) => (r.value !== null ? `${r.kind} (${r.value})` : r.kind)),
    })),
    defaultReviewers: facts.defaultReviewers === null ? null : facts.defaultReviewers.map((r) => r.displayName ?? r.nickname ?? r.uuid ?? 'someone'),
    recentPipelines: facts.recentPipelines === null ? null : facts.recentPipelines.map((p) => ({ buildNumber: p.buildNumber, refName: p.refName, state: p.state, result: p.result, createdOn: p.createdOn })),
    syncedAt: facts.syncedAt?.toISOString() ?? null,
  };
}
