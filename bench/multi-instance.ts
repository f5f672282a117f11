/**
 * Throughput with 1, 2 and 3 Bosun instances on one PostgreSQL (issue 10): signed
 * `pullrequest:comment_created` webhooks spread round-robin across the instances, measured from
 * the first send until every delivery's job has succeeded (intake, queue, claim and handler, not
 * only the 2xx). Each instance count gets a fresh schema; the baseline is 1 instance, same run.
 * The scaling ratio only means something on a machine with a core per instance to spare.
 */
import { installTenant, sendDeliveries, startBosunCluster, toCommentDelivery } from '../test/helpers/bosun-cluster';
import { postgresUrl } from '../test/helpers/test-databases';

const DELIVERIES = 3_000;
const CONCURRENCY = 32;

async function measure(instances: number): Promise<{ perSecond: number; intakePerSecond: number }> {
  const cluster = await startBosunCluster({ instances, env: { BOSUN_JOB_POLL_MS: '50', BOSUN_WORKER_CONCURRENCY: '8' } });
  try {
    const tenant = await installTenant(cluster.instances[0]!.url, cluster.appKey);
    const urls = cluster.instances.map((i) => i.url);
    // Warm-up: JIT, connection pools, the tenant cache on every instance.
    await sendDeliveries(urls, Array.from({ length: 300 }, (_, n) => toCommentDelivery(tenant, n)), { concurrency: CONCURRENCY });
    // The deliveries' own jobs only: the install queues its first mirror sync too (create-lifecycle-subscriber.ts).
    const succeeded = async () =>
      Number((await cluster.query<{ n: string }>("SELECT count(*) AS n FROM jobs WHERE client_key = $1 AND type = 'webhook.comment' AND state = 'succeeded'", [tenant.clientKey]))[0]?.n);
    while ((await succeeded()) < 300) await new Promise((r) => setTimeout(r, 50));
    const deliveries = Array.from({ length: DELIVERIES }, (_, n) => toCommentDelivery(tenant, 1_000 + n));
    const started = performance.now();
    const report = await sendDeliveries(urls, deliveries, { concurrency: CONCURRENCY });
    if (report.acknowledged.size !== DELIVERIES) throw new Error(`${DELIVERIES - report.acknowledged.size} deliveries were not acknowledged`);
    while ((await succeeded()) < 300 + DELIVERIES) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: DELIVERIES / seconds, intakePerSecond: DELIVERIES / report.seconds };
  } finally {
    await cluster.close();
  }
}

export async function benchMultiInstance(): Promise<void> {
  if (!postgresUrl()) {
    console.log('multi-instance-throughput: skipped, set DATABASE_URL=postgres://… to run it');
    return;
  }
  const figures: number[] = [];
  for (const n of [1, 2, 3]) {
    const r = await measure(n);
    figures.push(r.perSecond);
    console.log(`multi-instance-throughput: ${n} instance(s): ${r.perSecond.toFixed(0)} deliveries/s processed end to end (2xx at ${r.intakePerSecond.toFixed(0)}/s)`);
  }
  const [one, two, three] = figures as [number, number, number];
  console.log(`multi-instance-throughput: scaling 2/1 ${(two / one).toFixed(2)}, 3/1 ${(three / one).toFixed(2)}`);
  console.log(`RESULT name=multi-instance-throughput value=${three.toFixed(0)} unit=deliveries/s baseline=${one.toFixed(0)} ratio=${(three / one).toFixed(3)}`);
}
