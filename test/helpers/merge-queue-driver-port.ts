import type { MergeQueuePort } from '../../server/agent/tools/merge-queue-port';
import { summarizeQueue, type createMergeQueueDriver, type MergeQueueStore } from '../../server/merge-queue';

/**
 * The tools' MergeQueuePort over an in-process driver (as create-merge-queue-services.ts wires it): a submitted
 * event is handled by the driver and answered as a summary; the landing policy and lanes come from the test.
 */
export function createDriverQueuePort(
  queue: { driver: ReturnType<typeof createMergeQueueDriver>; store: MergeQueueStore; now: () => Date },
  port: Pick<MergeQueuePort, 'loadLandingPolicy'> & Partial<Pick<MergeQueuePort, 'mayUseLane'>>,
): MergeQueuePort {
  const { driver, store, now } = queue;
  return {
    async submit(key, event) {
      const handled = await driver.handle(key, event);
      return { summary: summarizeQueue(handled.state, now()), notices: handled.notices, at: handled.at.toISOString() };
    },
    load: async (key) => {
      const state = await store.load(key);
      return state ? summarizeQueue(state, now()) : null;
    },
    loadLandingPolicy: port.loadLandingPolicy,
    mayUseLane: port.mayUseLane ?? (async () => false),
  };
}
