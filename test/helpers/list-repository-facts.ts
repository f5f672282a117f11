import { REPOSITORY_FACT_KINDS } from '../../server/mirror/mirror-store';
import type { RunningStack } from './start-stack';
import { waitFor } from './wait-for';

/**
 * What the scheduler does over time after an install, now, for the named repositories: the initial
 * sync, then sweeps (a couple of repositories' facts each) until every fact of each is listed, so
 * a template preview reads their settings from the mirror. Needs the stack's worker running.
 */
export async function listRepositoryFacts(stack: RunningStack, slugs: readonly string[]): Promise<void> {
  const clientKey = stack.installation.clientKey;
  const { db, automation } = stack.bosun.services;
  const run = async (type: string) => {
    const { job } = await automation.queue.enqueue({ clientKey, type, payload: {} });
    await waitFor(async () => {
      const state = (await automation.queue.get(clientKey, job.id))?.state;
      return state === 'succeeded' || state === 'failed' || state === 'dead';
    }, `${type} ran`, 30_000);
  };
  if ((await db.models.MirrorSyncProgress.findByPk(clientKey))?.state !== 'done') await run('mirror.sync');
  const uuids = slugs.map((slug) => stack.sandbox.state.repositories.find((r) => r.slug === slug)?.uuid ?? slug);
  for (let i = 0; i < 40; i++) {
    const listed = await db.models.MirrorRepositoryFact.count({ where: { clientKey, repositoryUuid: uuids } });
    if (listed >= uuids.length * REPOSITORY_FACT_KINDS.length) return;
    await run('mirror.sweep');
  }
  throw new Error(`The sweep did not list the facts of ${slugs.join(', ')}`);
}
