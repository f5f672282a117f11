/**
 * The workspace page (issue 14) against the sandbox's large seed (500 repositories, 10 open PRs each,
 * statuses backfilled):
 * - workspace view data over 500 repositories: p95 from the mirror, serialized as the API answers it
 *   (target < 100 ms, 0 Bitbucket requests), against the live path measured in the same run (the
 *   repository list, one PR list per repository, one status list per open PR: what the page would
 *   cost without the mirror).
 * - preview of one template over the 500 repositories: wall time and requests (target < 2 s, 0 Bitbucket
 *   requests), through the admin API's view (create-template-views.ts), which reads the repository
 *   settings the sweep listed into the mirror (listed here first, in the sync lane, not timed). The live
 *   path (6 requests a repository, as the preview read before issue 14's mirror) is measured over 50 of
 *   them in the same run and scaled, for the ratio.
 * In process (sandbox over HTTP on loopback, SQLite in a temp dir): the data loading the API routes do,
 * without the session check in front.
 */
import { loadRepositorySettings } from '../server/agent/tools/load-repository-settings';
import { createRepositorySettingsMirror } from '../server/create-repository-settings-mirror';
import { createTemplateViews } from '../server/create-template-views';
import { createWorkspaceOverview } from '../server/create-workspace-overview';
import type { InstallationClientFactory, Tenant, TenantStore } from '../server/host';
import type { JobQueue } from '../server/jobs';
import { createRepositoryFactsSync } from '../server/mirror';
import { diffRepositorySettings } from '../server/policies/diff-repository-settings';
import { repositoryTemplateSchema } from '../server/policies/repository-template';
import { createSqlRepositoryTemplateStore } from '../server/storage/sql-repository-template-store';
import { createSqlWorkspaceMirrorReader } from '../server/storage/sql-workspace-mirror-reader';
import { openLargeSeedWorld, p95, timeEach } from './large-seed-world';

const REPOSITORIES = 500;
const VIEW_TARGET_MS = 100;
const PREVIEW_TARGET_MS = 2000;
/** The settings reads (restrictions, default reviewers, webhooks, Pipelines config) need these besides the mirror's. */
const SCOPES = ['account', 'pullrequest', 'repository:admin', 'webhook', 'pipeline'];

export async function benchWorkspaceView(): Promise<void> {
  const { sandbox, db, client, store, sync, source, clientKey, credential, close } = await openLargeSeedWorld({
    largeSeed: { repositories: REPOSITORIES, openPullRequestsPerRepository: 10 }, scopes: SCOPES,
  });
  try {
    await sync.initialSync(clientKey, source);
    await sync.backfillStatuses(clientKey, source, REPOSITORIES * 20);
    const templates = createSqlRepositoryTemplateStore(db);
    const overview = createWorkspaceOverview({ reader: createSqlWorkspaceMirrorReader(db), templates, now: () => new Date() });
    const tenant = { clientKey: clientKey, workspaceSlug: 'acme', workspaceUuid: null } as Tenant;

    // The page without the mirror: every repository, its open PRs, each PR's statuses.
    const live = async () => {
      const repos = await client.repositories.list('acme');
      await Promise.all(
        repos.map(async (repo) => {
          const prs = await client.pullRequests.list('acme', repo.uuid, { state: ['OPEN'], max: 200, withParticipants: true });
          await Promise.all(prs.map((pr) => client.pullRequests.listStatuses('acme', repo.uuid, pr.id)));
        }),
      );
    };
    sandbox.requests.reset();
    const liveMs = await timeEach(2, live);
    const liveRequests = sandbox.requests.get(credential).total / 2;

    sandbox.requests.reset();
    let rows = 0;
    const mirrorMs = await timeEach(60, async () => {
      const view = await overview.load(tenant);
      rows = view.repositories.length;
      return JSON.stringify(view);
    });
    const mirrorRequests = sandbox.requests.get(credential).total;
    console.log(
      `workspace view over ${rows} repositories: live ${liveRequests} requests p95 ${p95(liveMs).toFixed(0)} ms; mirror ${mirrorRequests} requests p95 ${p95(mirrorMs).toFixed(1)} ms (target < ${VIEW_TARGET_MS} ms)`,
    );
    console.log(`RESULT name=workspace-view-p95 value=${p95(mirrorMs).toFixed(1)} unit=ms baseline=${p95(liveMs).toFixed(1)} ratio=${(p95(mirrorMs) / Math.max(0.001, p95(liveMs))).toFixed(4)}`);
    console.log(`RESULT name=workspace-view-vs-target value=${p95(mirrorMs).toFixed(1)} unit=ms baseline=${VIEW_TARGET_MS} ratio=${(p95(mirrorMs) / VIEW_TARGET_MS).toFixed(3)}`);
    console.log(`RESULT name=workspace-view-requests value=${mirrorRequests} unit=requests baseline=${liveRequests} ratio=${(mirrorRequests / Math.max(1, liveRequests)).toFixed(3)}`);

    const template = repositoryTemplateSchema.parse({
      name: 'service',
      settings: { isPrivate: true, branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }], webhooks: [{ description: 'CI', url: 'https://ci.example.com/h', events: ['repo:push'] }], pipelinesEnabled: true },
    });
    await templates.save(clientKey, template, 'bench', 0);
    const slugs = sandbox.state.repositories.filter((r) => r.slug.startsWith('repo-')).map((r) => r.slug);

    // What the sweep does over time (sync lane): every repository's settings facts, listed once, not timed.
    const facts = createRepositoryFactsSync({ store, now: () => new Date() });
    const byUuid = new Map((await store.listRepositories(clientKey)).map((r) => [r.fullName, r.uuid]));
    for (let i = 0; i < slugs.length; i += 8) {
      await Promise.all(slugs.slice(i, i + 8).map((slug) => facts.syncFacts(clientKey, source, byUuid.get(`acme/${slug}`)!)));
    }

    // The admin API's preview, as POST /api/admin/templates/preview runs it (the tenants, clients and queue are not used by a preview).
    const views = createTemplateViews({
      templates, settingsMirror: createRepositorySettingsMirror({ store, now: () => new Date() }),
      tenants: {} as TenantStore, clients: {} as InstallationClientFactory, queue: {} as JobQueue,
    });
    sandbox.requests.reset();
    const runs: number[] = [];
    let drifted = 0;
    let unknown = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const preview = await views.preview(tenant, { template: 'service', repos: slugs });
      runs.push(performance.now() - t0);
      drifted = preview.repositories.filter((r) => r.drifted).length;
      unknown = preview.repositories.filter((r) => r.unknown.length > 0).length;
    }
    const previewMs = Math.max(...runs);
    const previewRequests = sandbox.requests.get(credential).total;

    // The live path over 50 repositories, scaled to all of them: the baseline.
    const LIVE_SAMPLE = 50;
    sandbox.requests.reset();
    const t1 = performance.now();
    for (const slug of slugs.slice(0, LIVE_SAMPLE)) diffRepositorySettings(template, await loadRepositorySettings(client, 'acme', slug));
    const previewLiveMs = ((performance.now() - t1) / LIVE_SAMPLE) * slugs.length;
    const previewLiveRequests = (sandbox.requests.get(credential).total / LIVE_SAMPLE) * slugs.length;
    console.log(
      `template preview over ${slugs.length} repositories from the mirror: ${previewRequests} requests, worst of 5 ${previewMs.toFixed(0)} ms (each: ${runs.map((r) => r.toFixed(0)).join(', ')}), ${drifted} would change, ${unknown} with settings not known yet; live (scaled from ${LIVE_SAMPLE}) ~${previewLiveRequests.toFixed(0)} requests, ~${previewLiveMs.toFixed(0)} ms (target < ${PREVIEW_TARGET_MS} ms)`,
    );
    console.log(`RESULT name=template-preview-500-wall value=${previewMs.toFixed(0)} unit=ms baseline=${PREVIEW_TARGET_MS} ratio=${(previewMs / PREVIEW_TARGET_MS).toFixed(3)}`);
    console.log(`RESULT name=template-preview-500-vs-live value=${previewMs.toFixed(0)} unit=ms baseline=${previewLiveMs.toFixed(0)} ratio=${(previewMs / Math.max(1, previewLiveMs)).toFixed(4)}`);
    console.log(`RESULT name=template-preview-500-requests value=${previewRequests} unit=requests baseline=${previewLiveRequests.toFixed(0)} ratio=${(previewRequests / Math.max(1, previewLiveRequests)).toFixed(3)}`);
  } finally {
    await close();
  }
}
