import { z } from 'zod';
import { repositorySchema, type Branch, type WebhookSubscription } from '../bitbucket';
import type { MirroredRepository, MirroredRepositoryFact, MirrorStore, RepositoryFactKind } from './mirror-store';

/**
 * The repository settings a template compares (issue 14), as the mirror keeps them: webhooks, the
 * Pipelines configuration and the main branch's merge strategies, beside the branch restrictions
 * (with their users and groups) and default reviewers that create-repository-facts-sync.ts lists.
 * The sweep fills them in the sync lane; Bosun's own template applies write what they left in place.
 */
export const webhookFactSchema = z.object({ uuid: z.string(), description: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean() });
/** `enabled: null`: Bitbucket would not show the configuration (Pipelines never set up: 404 or 400). */
export const pipelinesConfigFactSchema = z.object({ enabled: z.boolean().nullable() });
/** The main branch's strategies from the branch listing; `branch: null` when the repository has no main branch yet. */
export const mergeStrategiesFactSchema = z.object({ branch: z.string().nullable(), allowed: z.array(z.string()).nullable(), default: z.string().nullable() });
export type WebhookFact = z.infer<typeof webhookFactSchema>;

export const toWebhookFact = (h: WebhookSubscription): WebhookFact => ({ uuid: h.uuid, description: h.description ?? '', url: h.url, events: [...h.events], active: h.active });

export function toMergeStrategiesFact(mainBranch: string | null, branches: ReadonlyArray<Pick<Branch, 'name' | 'merge_strategies' | 'default_merge_strategy'>>): z.infer<typeof mergeStrategiesFactSchema> {
  const main = mainBranch ? branches.find((b) => b.name === mainBranch) : undefined;
  return { branch: mainBranch, allowed: main?.merge_strategies ?? null, default: main?.default_merge_strategy ?? null };
}

/** The settings a template may manage that the mirror can answer for a repository. */
export type MirroredSettingKey = 'branchRestrictions' | 'defaultReviewers' | 'webhooks' | 'pipelinesEnabled' | 'mergeStrategies';

/** A repository's settings from the mirror, in the shape a template is compared with; `unknown` lists what it cannot answer yet. */
export interface MirroredRepositorySettings {
  uuid: string;
  fullName: string;
  isPrivate: boolean;
  mainBranch: string | null;
  description: string;
  branchRestrictions: Array<{ id: number; kind: string; pattern: string; value: number | null; users: string[]; groups: string[] }>;
  mergeStrategies: { allowed: string[]; default: string | null } | null;
  defaultReviewers: string[];
  webhooks: WebhookFact[];
  pipelinesEnabled: boolean | null;
  /** Never listed, refused (403: a scope the installation lacks) or kept in an older shape: checked at apply. */
  unknown: MirroredSettingKey[];
  /** When the oldest of these facts was listed; null when some never were. */
  syncedAt: Date | null;
}

const restrictionSettingFact = z.object({
  id: z.number(), kind: z.string(), pattern: z.string().nullable(), value: z.number().nullable(),
  // Facts listed before users and groups were kept lack them: unknown, not empty.
  users: z.array(z.string()), groups: z.array(z.string()),
});
const reviewerSettingFact = z.object({ uuid: z.string().nullable() });

const SETTINGS_KINDS: readonly RepositoryFactKind[] = ['branch-restrictions', 'default-reviewers', 'webhooks', 'pipelines-config', 'merge-strategies'];

const parseFact = <T>(facts: ReadonlyMap<RepositoryFactKind, MirroredRepositoryFact>, kind: RepositoryFactKind, schema: z.ZodType<T>): T | null => {
  const fact = facts.get(kind);
  if (!fact) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(fact.dataJson));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

/** Pure: one repository's settings from its mirrored row and facts. Null when its row does not parse. */
export function toMirroredRepositorySettings(repository: MirroredRepository, facts: readonly MirroredRepositoryFact[]): MirroredRepositorySettings | null {
  let data: unknown;
  try {
    data = JSON.parse(repository.dataJson);
  } catch {
    return null;
  }
  const repo = repositorySchema.safeParse(data);
  if (!repo.success) return null;
  const byKind = new Map(facts.map((f) => [f.kind, f]));
  const unknown: MirroredSettingKey[] = [];
  const restrictions = parseFact(byKind, 'branch-restrictions', z.array(restrictionSettingFact));
  if (!restrictions) unknown.push('branchRestrictions');
  const reviewers = parseFact(byKind, 'default-reviewers', z.array(reviewerSettingFact));
  if (!reviewers) unknown.push('defaultReviewers');
  const webhooks = parseFact(byKind, 'webhooks', z.array(webhookFactSchema));
  if (!webhooks) unknown.push('webhooks');
  const pipelines = parseFact(byKind, 'pipelines-config', pipelinesConfigFactSchema);
  if (!pipelines) unknown.push('pipelinesEnabled');
  const mainBranch = repo.data.mainbranch?.name ?? null;
  const strategies = parseFact(byKind, 'merge-strategies', mergeStrategiesFactSchema);
  // Listed for another main branch (changed since): unknown until the next listing.
  if (!strategies || strategies.branch !== mainBranch) unknown.push('mergeStrategies');
  const kept = SETTINGS_KINDS.map((k) => byKind.get(k));
  return {
    uuid: repository.uuid,
    fullName: repository.fullName,
    isPrivate: repo.data.is_private ?? true,
    mainBranch,
    description: repo.data.description ?? '',
    branchRestrictions: (restrictions ?? []).map((r) => ({ id: r.id, kind: r.kind, pattern: r.pattern ?? '', value: r.value, users: r.users, groups: r.groups })),
    mergeStrategies: strategies?.allowed && strategies.branch === mainBranch ? { allowed: strategies.allowed, default: strategies.default } : null,
    defaultReviewers: (reviewers ?? []).flatMap((r) => (r.uuid ? [r.uuid] : [])),
    webhooks: webhooks ?? [],
    pipelinesEnabled: pipelines?.enabled ?? null,
    unknown,
    syncedAt: kept.every((f) => f !== undefined) ? kept.reduce((oldest, f) => (f!.syncedAt < oldest ? f!.syncedAt : oldest), kept[0]!.syncedAt) : null,
  };
}

/**
 * Every named repository's settings from the mirror: two queries whatever their number (the
 * repositories, then their settings facts). A repository the mirror has not met is left out.
 */
export async function loadMirroredRepositorySettings(store: MirrorStore, clientKey: string, fullNames: readonly string[]): Promise<Map<string, MirroredRepositorySettings>> {
  const wanted = new Set(fullNames.map((n) => n.toLowerCase()));
  const repositories = (await store.listRepositories(clientKey)).filter((r) => wanted.has(r.fullName.toLowerCase()));
  const facts = await store.listRepositoryFacts(clientKey, repositories.map((r) => r.uuid), SETTINGS_KINDS);
  const byRepository = new Map<string, MirroredRepositoryFact[]>();
  for (const f of facts) byRepository.set(f.repositoryUuid, [...(byRepository.get(f.repositoryUuid) ?? []), f]);
  const out = new Map<string, MirroredRepositorySettings>();
  for (const repository of repositories) {
    const settings = toMirroredRepositorySettings(repository, byRepository.get(repository.uuid) ?? []);
    if (settings) out.set(repository.fullName.toLowerCase(), settings);
  }
  return out;
}

/** Settings Bosun read from Bitbucket (a drift check) or left in place (an apply: what it read plus the writes Bitbucket accepted). */
export type KnownRepositorySettings = Omit<MirroredRepositorySettings, 'uuid' | 'fullName' | 'unknown' | 'syncedAt'>;

const storedRestriction = z.looseObject({ id: z.number(), kind: z.string(), pattern: z.string().nullable(), branchType: z.string().nullable().optional(), value: z.number().nullable() });
const storedReviewer = z.looseObject({ uuid: z.string().nullable(), displayName: z.string().nullable().optional(), nickname: z.string().nullable().optional() });

/**
 * Writes a repository's settings as Bosun read them (a drift check) or left them (an apply), so the
 * next preview reads them from the mirror: the repository row (privacy, description, main branch),
 * its restrictions, default reviewers (names kept for those the mirror already knew), webhooks,
 * Pipelines configuration and the main branch's merge strategies when known. The sweep lists them
 * again after FACTS_MAX_AGE_MS, which also brings the ids of rules Bosun created.
 */
export async function saveRepositorySettingsFacts(store: MirrorStore, clientKey: string, repositoryUuid: string, settings: KnownRepositorySettings, at: Date): Promise<void> {
  const [repository, facts] = await Promise.all([store.getRepository(clientKey, repositoryUuid), store.loadRepositoryFacts(clientKey, repositoryUuid)]);
  if (!repository) return;
  const byKind = new Map(facts.map((f) => [f.kind, f]));
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(repository.dataJson) as Record<string, unknown>;
  } catch {
    // Rewritten from what the apply knows; the next listing brings the rest.
  }
  const mainbranch = settings.mainBranch ? { ...((data.mainbranch as Record<string, unknown> | null | undefined) ?? { type: 'branch' }), name: settings.mainBranch } : (data.mainbranch ?? null);
  await store.upsertRepositories(clientKey, [{ uuid: repository.uuid, fullName: repository.fullName, dataJson: JSON.stringify({ ...data, is_private: settings.isPrivate, description: settings.description, mainbranch }) }], at);

  const oldRestrictions = parseFact(byKind, 'branch-restrictions', z.array(storedRestriction)) ?? [];
  const restrictions = settings.branchRestrictions.map((r) => {
    const had = oldRestrictions.find((o) => (r.id > 0 && o.id === r.id) || (o.kind === r.kind && (o.pattern ?? '') === r.pattern));
    return { id: r.id, kind: r.kind, pattern: r.pattern, branchType: had?.branchType ?? null, value: r.value, users: r.users, groups: r.groups };
  });
  const oldReviewers = parseFact(byKind, 'default-reviewers', z.array(storedReviewer)) ?? [];
  const reviewers = settings.defaultReviewers.map((uuid) => {
    const had = oldReviewers.find((o) => o.uuid?.toLowerCase() === uuid.toLowerCase());
    return { uuid, displayName: had?.displayName ?? null, nickname: had?.nickname ?? null };
  });
  await store.saveRepositoryFact(clientKey, repositoryUuid, 'branch-restrictions', JSON.stringify(restrictions), at);
  await store.saveRepositoryFact(clientKey, repositoryUuid, 'default-reviewers', JSON.stringify(reviewers), at);
  await store.saveRepositoryFact(clientKey, repositoryUuid, 'webhooks', JSON.stringify(settings.webhooks), at);
  await store.saveRepositoryFact(clientKey, repositoryUuid, 'pipelines-config', JSON.stringify({ enabled: settings.pipelinesEnabled }), at);
  if (settings.mergeStrategies) {
    await store.saveRepositoryFact(clientKey, repositoryUuid, 'merge-strategies', JSON.stringify({ branch: settings.mainBranch, ...settings.mergeStrategies }), at);
  }
}
