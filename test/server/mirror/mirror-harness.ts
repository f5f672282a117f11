import { randomBytes } from 'node:crypto';
import { createKeyRing, createSecretBox } from '../../../server/auth';
import { createBitbucketClient } from '../../../server/bitbucket';
import { BudgetDeferredError, createBudgetedFetch, createMemoryBudgetStore, createRateBudget, type BudgetLane, type BudgetPolicy, type RateBudget } from '../../../server/budget';
import { createBitbucketMirrorSource, createMirrorSync, type MirrorSource, type MirrorStore, type MirrorSync } from '../../../server/mirror';
import { createSqlMirrorStore, createTenantStore, type Database } from '../../../server/storage';
import type { SandboxOptions } from '../../../sandbox';
import { type Harness, startHarness } from '../../sandbox/helpers/setup';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

export { BudgetDeferredError };

export interface MirrorHarness {
  h: Harness;
  opened: OpenedTestDatabase;
  db: Database;
  store: MirrorStore;
  sync: MirrorSync;
  budget: RateBudget;
  clientKey: string;
  /** A source over the real client against the sandbox, charged to `lane`. */
  source(lane?: BudgetLane): MirrorSource;
  clock: { now: Date };
  close(): Promise<void>;
}

/** The sandbox, a real database, a real Bitbucket client as the installation, and the mirror over them. */
export async function startMirrorHarness(kind: 'sqlite' | 'postgres', opts: { sandbox?: Partial<SandboxOptions>; policy?: BudgetPolicy; descriptor?: Record<string, unknown> } = {}): Promise<MirrorHarness> {
  const h = await startHarness({ sandbox: { rateLimitPerHour: 0, ...opts.sandbox }, ...(opts.descriptor ? { descriptor: opts.descriptor } : {}) });
  const opened = await openTestDatabase(kind);
  const clock = { now: new Date() };
  const now = () => clock.now;
  const store = createSqlMirrorStore(opened.db);
  const budget = createRateBudget({ store: createMemoryBudgetStore(), now, policy: opts.policy });
  const clientKey = h.inst.clientKey;
  const source = (lane: BudgetLane = 'sync') => {
    const client = createBitbucketClient({
      baseApiUrl: h.url,
      auth: { kind: 'connect-jwt', appKey: h.inst.key, clientKey, sharedSecret: h.inst.sharedSecret },
      fetch: createBudgetedFetch({ budget, clientKey, credential: 'installation', lane, purpose: `test.${lane}`, fetch: globalThis.fetch }),
      retry: { maxRetries: 0 },
    });
    return createBitbucketMirrorSource(client, 'acme');
  };
  return {
    h, opened, db: opened.db, store, budget, clientKey, source, clock,
    sync: createMirrorSync({ store, now }),
    close: async () => {
      await h.close();
      await opened.close();
    },
  };
}

export function purgeTenant(db: Database, clientKey: string): Promise<void> {
  return createTenantStore(db, createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }]))).purge(clientKey);
}
