import { z } from 'zod';
import type { Tenant } from './host';
import { describeSettingChange } from './policies/diff-repository-settings';
import type { RepositoryTemplateStore, TemplateBinding } from './policies/repository-template-store';
import { aggregateBuildState, type BuildStatusState } from './rules';
import type { WorkspaceMirrorReader, WorkspaceMirrorSnapshot } from './storage/sql-workspace-mirror-reader';
import type { WorkspaceOverviewView, WorkspaceOverviewViews, WorkspaceRepositoryRowView } from './web/api/workspace-overview-views';

/** The stale rule's default reminder age (policies' DEFAULT_POLICY.stale.remindAfterDays). */
export const STALE_AFTER_DAYS = 7;
const DAY_MS = 86_400_000;

const BUILD_STATES: ReadonlySet<string> = new Set<BuildStatusState>(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']);
const isBuildState = (s: string | null): s is BuildStatusState => s !== null && BUILD_STATES.has(s);
const queueFields = z.looseObject({ entries: z.array(z.looseObject({ state: z.string() })).default([]) });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * The workspace page's rows from one snapshot of the mirror (counted per repository by the reader:
 * ready = not draft with every head build passed, failing = a failed or stopped head build, stale)
 * and the template bindings. Pure: the same snapshot and clock give the same rows.
 */
export function toWorkspaceOverview(snapshot: WorkspaceMirrorSnapshot, bindings: readonly TemplateBinding[], now: Date): WorkspaceOverviewView {
  const countsByRepo = new Map(snapshot.pullRequests.map((p) => [p.repositoryUuid, p]));
  const queued = new Map<string, number>();
  for (const q of snapshot.queues) {
    const parsed = queueFields.safeParse(parseJson(q.stateJson));
    if (!parsed.success) continue;
    const waiting = parsed.data.entries.filter((e) => e.state === 'waiting' || e.state === 'batched').length;
    queued.set(q.repository, (queued.get(q.repository) ?? 0) + waiting);
  }
  const bindingByName = new Map(bindings.map((b) => [b.fullName.toLowerCase(), b]));

  let asOf = 0;
  // Complete once every repository's PRs were listed and every open PR's head statuses were (the backfill).
  let complete = snapshot.repositories.length > 0;
  const repositories: WorkspaceRepositoryRowView[] = snapshot.repositories.map((repo) => {
    const counts = countsByRepo.get(repo.uuid);
    if (!repo.pullRequestsSyncedAt) complete = false;
    else asOf = Math.max(asOf, repo.pullRequestsSyncedAt.getTime());
    if (counts?.lastMirroredAt) asOf = Math.max(asOf, counts.lastMirroredAt.getTime());
    if (counts && counts.statusesPending > 0) complete = false;
    const binding = bindingByName.get(repo.fullName.toLowerCase());
    return {
      uuid: repo.uuid,
      fullName: repo.fullName,
      name: repo.name ?? repo.fullName,
      url: repo.url,
      openPullRequests: counts?.open ?? 0,
      readyToMerge: counts?.ready ?? 0,
      failingBuilds: counts?.failing ?? 0,
      stalePullRequests: counts?.stale ?? 0,
      queueLength: (queued.get(repo.uuid) ?? 0) + (queued.get(repo.fullName) ?? 0),
      template: binding?.template ?? null,
      drift: binding?.status ?? 'none',
      driftDetails: binding ? binding.pending.map(describeSettingChange) : [],
      // The worst head decides, as aggregateBuildState decides; a state Bosun does not know is left out.
      buildState: aggregateBuildState(isBuildState(counts?.worst ?? null) ? [counts!.worst as BuildStatusState] : []),
    };
  });
  const sum = (pick: (r: WorkspaceRepositoryRowView) => number) => repositories.reduce((n, r) => n + pick(r), 0);
  return {
    repositories,
    totals: {
      repositories: repositories.length,
      openPullRequests: sum((r) => r.openPullRequests),
      readyToMerge: sum((r) => r.readyToMerge),
      failingBuilds: sum((r) => r.failingBuilds),
      stalePullRequests: sum((r) => r.stalePullRequests),
      queueLength: sum((r) => r.queueLength),
      drifted: repositories.filter((r) => r.drift === 'drifted' || r.drift === 'partial').length,
    },
    staleAfterDays: STALE_AFTER_DAYS,
    freshness: { source: 'mirror', asOf: new Date(asOf || now.getTime()).toISOString(), complete },
  };
}

/** PRs not updated since this instant are stale on the workspace page. */
export const toStaleBefore = (now: Date): Date => new Date(now.getTime() - STALE_AFTER_DAYS * DAY_MS);

/**
 * Wires the mirror reader and the template bindings to the workspace page (composition root). No
 * Bitbucket call: the page shows what the mirror holds and says how fresh it is.
 */
export function createWorkspaceOverview(deps: {
  reader: WorkspaceMirrorReader;
  templates: RepositoryTemplateStore;
  now: () => Date;
  /** Waits for webhook projections already acknowledged (the mirror's batched projection). */
  settled?: () => Promise<void>;
}): WorkspaceOverviewViews {
  return {
    async load(tenant: Tenant) {
      await deps.settled?.();
      const now = deps.now();
      const [snapshot, bindings] = await Promise.all([deps.reader.load(tenant.clientKey, { staleBefore: toStaleBefore(now) }), deps.templates.listBindings(tenant.clientKey)]);
      return toWorkspaceOverview(snapshot, bindings, now);
    },
  };
}
