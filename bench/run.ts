/** `npm run bench` runs every benchmark; `npm run bench -- NAME` runs one. */
import { benchCiStatusLatency } from './ci-status-latency';
import { benchConcurrentInstalls } from './concurrent-installs';
import { benchMergeQueue } from './merge-queue';
import { benchMirrorInitialSync, benchMirrorViews } from './mirror';
import { benchMultiInstance } from './multi-instance';
import { benchPgBossQueue } from './pg-boss-queue';
import { benchReadiness } from './readiness';
import { benchWebhookIntake } from './webhook-intake';
import { benchWorkspaceView } from './workspace-view';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  'webhook-intake-sqlite': () => benchWebhookIntake('sqlite'),
  'webhook-intake-postgres': () => benchWebhookIntake('postgres'),
  'concurrent-installs-sqlite': () => benchConcurrentInstalls('sqlite'),
  'concurrent-installs-postgres': () => benchConcurrentInstalls('postgres'),
  'mirror-initial-sync': () => benchMirrorInitialSync(),
  'mirror-views': () => benchMirrorViews(),
  readiness: () => benchReadiness(),
  'merge-queue': () => benchMergeQueue(),
  'ci-status-latency': () => benchCiStatusLatency(),
  'multi-instance-throughput': () => benchMultiInstance(),
  'pg-boss-queue': () => benchPgBossQueue(),
  'workspace-view': () => benchWorkspaceView(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHMARKS[name]);
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHMARKS)) {
    console.log(`== ${name}`);
    await BENCHMARKS[name]!();
  }
}

void main();
