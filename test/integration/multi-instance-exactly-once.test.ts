import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_COMMENT_JOB } from '../../server/jobs';
import { installTenant, sendDeliveries, startBosunCluster, toCommentDelivery, type BosunCluster, type InstalledTenant } from '../helpers/bosun-cluster';
import { postgresUrl } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue 10's multi-instance test: three real Bosun processes on one PostgreSQL, 2,000 signed
 * webhooks spread across them, and one instance SIGKILLed once half of them were acknowledged.
 * Deliveries the dead instance did not answer are sent again to another instance (same
 * X-Request-UUID, next attempt), as Bitbucket redelivers. At the end, asserted on the database:
 * every delivery is stored once, each has exactly one job, every job succeeded, and only jobs the
 * killed instance held when it died ran more than once.
 */
const DELIVERIES = 2_000;
// Long enough that live workers' heartbeats (every third of it) keep their leases on a loaded machine;
// the dead instance's jobs come back once it has run out.
const LEASE_MS = 5_000;
const CONCURRENCY_PER_INSTANCE = 8;

describe.runIf(postgresUrl())('three Bosun instances on PostgreSQL, one SIGKILLed mid-run', () => {
  let cluster: BosunCluster;
  let tenant: InstalledTenant;

  beforeAll(async () => {
    cluster = await startBosunCluster({
      instances: 3,
      env: { BOSUN_JOB_LEASE_MS: String(LEASE_MS), BOSUN_JOB_POLL_MS: '50', BOSUN_WORKER_CONCURRENCY: String(CONCURRENCY_PER_INSTANCE) },
    });
    tenant = await installTenant(cluster.instances[0]!.url, cluster.appKey);
  }, 60_000);
  afterAll(async () => cluster?.close(), 30_000);

  it('stores every acknowledged delivery once and runs each of its jobs to success exactly once', async () => {
    const deliveries = Array.from({ length: DELIVERIES }, (_, n) => toCommentDelivery(tenant, n));
    const victim = 2;
    let killedAt: number | null = null;
    const report = await sendDeliveries(
      cluster.instances.map((i) => i.url),
      deliveries,
      {
        concurrency: 24,
        isLive: (index) => index !== victim || killedAt === null,
        onAcknowledged: (count) => {
          if (killedAt === null && count >= DELIVERIES / 2) {
            killedAt = count;
            cluster.instances[victim]!.kill('SIGKILL');
          }
        },
      },
    );
    const sentAt = performance.now();
    expect(await cluster.instances[victim]!.exited).toBe('SIGKILL');
    expect(killedAt).toBe(DELIVERIES / 2);
    expect(report.acknowledged.size).toBe(DELIVERIES);

    // Nothing acknowledged is lost: every delivery is stored, once.
    const stored = await cluster.query<{ request_uuid: string }>('SELECT request_uuid FROM webhook_deliveries WHERE client_key = $1', [tenant.clientKey]);
    expect(stored).toHaveLength(DELIVERIES);
    expect(new Set(stored.map((r) => r.request_uuid))).toEqual(new Set(deliveries.map((d) => d.requestUuid)));

    // Each delivery called for one job; the survivors finish them all, the dead instance's included.
    await waitFor(
      async () => {
        const [row] = await cluster.query<{ n: string }>("SELECT count(*) AS n FROM jobs WHERE client_key = $1 AND type = $2 AND state = 'succeeded'", [tenant.clientKey, WEBHOOK_COMMENT_JOB]);
        return Number(row?.n) === DELIVERIES;
      },
      'every comment job to succeed',
      30_000,
      200,
    );
    const drainedSeconds = (performance.now() - sentAt) / 1000;
    const jobs = await cluster.query<{ state: string; attempts: number; payload: string; result: string | null }>(
      'SELECT state, attempts, payload, result FROM jobs WHERE client_key = $1 AND type = $2',
      [tenant.clientKey, WEBHOOK_COMMENT_JOB],
    );
    expect(jobs).toHaveLength(DELIVERIES);
    const jobDeliveries = jobs.map((j) => (JSON.parse(j.payload) as { requestUuid: string }).requestUuid);
    expect(new Set(jobDeliveries)).toEqual(new Set(deliveries.map((d) => d.requestUuid)));
    expect(jobs.every((j) => j.state === 'succeeded' && j.result !== null && (JSON.parse(j.result) as { ignored?: string }).ignored === 'not a command')).toBe(true);
    const rerun = jobs.filter((j) => j.attempts !== 1);
    console.info(`multi-instance: ${DELIVERIES} sent in ${report.seconds.toFixed(1)} s (${report.retried} resent), jobs drained ${drainedSeconds.toFixed(1)} s later, ${rerun.length} re-run`);
    // A job runs twice only when the instance that held it died mid-run: at most its concurrency.
    expect(rerun.length).toBeLessThanOrEqual(CONCURRENCY_PER_INSTANCE);
    expect(rerun.every((j) => j.attempts === 2)).toBe(true);

    // The surviving instances keep answering.
    for (const instance of cluster.instances.filter((_, i) => i !== victim)) {
      expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
    }
  }, 60_000);
});
