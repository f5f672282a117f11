/**
 * The workspace mirror against the sandbox's large seed (500 repositories, 5,000 open PRs):
 * - initial sync: Bitbucket requests used (target ≤ 800: a fresh install fits in one hour's 1,000 with room
 *   for people) and wall time; the status backfill it leaves is counted, not run.
 * - repository dashboard data over 200 open PRs: p95 from the mirror (target < 50 ms, 0 requests) against
 *   today's live path (PR list + one status list per PR), measured in the same run.
 * - PR panel data warm: p95 (target < 20 ms, 0 requests).
 * In process (sandbox over HTTP on loopback, SQLite in a temp dir): the data loading the API routes do,
 * without the session check in front.
 */
import { loadPrPanelView, loadRepoDashboardView } from '../server/mirror';
import { openLargeSeedWorld, p95, timeEach } from './large-seed-world';

/** The mirror's reads need only these (the sandbox checks them). */
const SCOPES = ['account', 'pullrequest', 'repository'];
const openWorld = (largeSeed: { repositories: number; openPullRequestsPerRepository: number }) => openLargeSeedWorld({ largeSeed, scopes: SCOPES });

export async function benchMirrorInitialSync(): Promise<void> {
  const w = await openWorld({ repositories: 500, openPullRequestsPerRepository: 10 });
  try {
    w.sandbox.requests.reset();
    const t0 = performance.now();
    const progress = await w.sync.initialSync(w.clientKey, w.source);
    const wallMs = performance.now() - t0;
    const requests = w.sandbox.requests.get(w.credential).total;
    console.log(`initial sync: ${progress.repositoriesDone}/${progress.repositoriesTotal} repositories, ${requests} requests, ${wallMs.toFixed(0)} ms; statuses left to the backfill for ${progress.statusesPending} PRs`);
    console.log(`RESULT name=mirror-initial-sync-requests value=${requests} unit=requests baseline=800 ratio=${(requests / 800).toFixed(3)}`);
    console.log(`RESULT name=mirror-initial-sync-wall value=${wallMs.toFixed(0)} unit=ms baseline=0 ratio=0`);
    console.log(`RESULT name=mirror-status-backfill-pending value=${progress.statusesPending} unit=pull-requests baseline=0 ratio=0`);
  } finally {
    await w.close();
  }
}

export async function benchMirrorViews(): Promise<void> {
  const w = await openWorld({ repositories: 1, openPullRequestsPerRepository: 200 });
  try {
    await w.sync.initialSync(w.clientKey, w.source);
    await w.sync.backfillStatuses(w.clientKey, w.source, 1000);
    const repo = w.sandbox.state.repositories.find((r) => r.slug === 'repo-0001')!;
    const deps = { store: w.store, sync: w.sync, now: () => new Date(), live: () => w.source };
    // Today's live path (server/web/api/api-router.ts): the open PR list, then one status list per PR.
    const live = async () => {
      const prs = await w.client.pullRequests.list('acme', repo.uuid, { state: ['OPEN'], max: 200, withParticipants: true });
      await Promise.all(prs.map((pr) => w.client.pullRequests.listStatuses('acme', repo.uuid, pr.id)));
    };
    w.sandbox.requests.reset();
    await live();
    const liveRequests = w.sandbox.requests.get(w.credential).total;
    const liveMs = await timeEach(10, live);
    w.sandbox.requests.reset();
    const mirrorMs = await timeEach(50, () => loadRepoDashboardView(deps, { clientKey: w.clientKey, repositoryUuid: repo.uuid }));
    const dashboardRequests = w.sandbox.requests.get(w.credential).total;
    const panelMs = await timeEach(200, () => loadPrPanelView(deps, { clientKey: w.clientKey, repositoryUuid: repo.uuid, pullRequestId: 1 + Math.floor(Math.random() * 200) }));
    const panelRequests = w.sandbox.requests.get(w.credential).total - dashboardRequests;
    console.log(`dashboard over 200 open PRs: live ${liveRequests} requests p95 ${p95(liveMs).toFixed(1)} ms; mirror ${dashboardRequests} requests p95 ${p95(mirrorMs).toFixed(1)} ms; panel warm ${panelRequests} requests p95 ${p95(panelMs).toFixed(1)} ms`);
    console.log(`RESULT name=mirror-dashboard-p95 value=${p95(mirrorMs).toFixed(1)} unit=ms baseline=${p95(liveMs).toFixed(1)} ratio=${(p95(mirrorMs) / Math.max(0.001, p95(liveMs))).toFixed(3)}`);
    console.log(`RESULT name=mirror-dashboard-requests value=${dashboardRequests} unit=requests baseline=${liveRequests} ratio=${(dashboardRequests / Math.max(1, liveRequests)).toFixed(3)}`);
    console.log(`RESULT name=mirror-pr-panel-warm-p95 value=${p95(panelMs).toFixed(1)} unit=ms baseline=20 ratio=${(p95(panelMs) / 20).toFixed(3)}`);
    console.log(`RESULT name=mirror-pr-panel-warm-requests value=${panelRequests} unit=requests baseline=0 ratio=0`);
  } finally {
    await w.close();
  }
}
