import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForgeInstallation } from '../../sandbox/forge/create-forge-host';
import { forgeRoutes } from '../../server/forge';
import { testDatabaseKinds } from '../helpers/test-databases';
import { startForgeStack, type ForgeStack } from './forge-host-stack';

const RUNS = 60;
const SEED = 15_015;
const WEB_REPO = '{7eb00000-0000-4000-8000-00000000a001}';
const TABLES = ['tenants', 'webhook_deliveries', 'jobs'] as const;

/**
 * Every Forge route with hostile bodies and tokens (valid FITs, other installations' FITs, bad
 * ones): never a 5xx, a refusal changes no row, an accepted call writes only its own tables.
 */
describe.each(testDatabaseKinds())('fuzzing the Forge routes (%s)', (kind) => {
  let stack: ForgeStack;
  let inst: ForgeInstallation;
  let other: ForgeInstallation;
  beforeAll(async () => {
    stack = await startForgeStack(kind);
    inst = await stack.forge.install({ workspace: 'acme' });
    other = await stack.forge.install({ workspace: 'acme' });
  });
  afterAll(async () => stack?.close());

  const countRows = async () => {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const [rows] = await stack.db.sequelize.query(`SELECT COUNT(*) AS n FROM ${t}`);
      out[t] = Number((rows as Array<{ n: number | string }>)[0]?.n ?? 0);
    }
    return out;
  };

  const nasty = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '{}', '../..', '\u0000', 'ari:cloud:ecosystem::installation/x', WEB_REPO), fc.integer(), fc.constant(null));
  const maybe = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: nasty });
  const bodies: Record<string, fc.Arbitrary<unknown>> = {
    [forgeRoutes.lifecycle]: fc.record({
      // Never the real uninstall of the installation under test: that would only test purging again.
      eventType: maybe(fc.constantFrom('avi:forge:installed:app', 'avi:forge:upgraded:app', 'avi:forge:uninstalled:app')),
      id: maybe(fc.constantFrom('other-id')),
      installerAccountId: maybe(fc.constantFrom('712020:a11ce000-0000-4000-8000-000000000001')),
    }),
    [forgeRoutes.events]: fc.record({
      eventType: maybe(fc.constantFrom('avi:bitbucket:updated:pullrequest', 'avi:bitbucket:created:pullrequest-comment', 'avi:bitbucket:push:repository', 'avi:bitbucket:fulfilled:pullrequest')),
      workspace: maybe(fc.record({ uuid: maybe(fc.constant('{3f2a8c1e-5b7d-4e9a-8c6f-1d2e3f4a5b6c}')) })),
      repository: maybe(fc.record({ uuid: maybe(fc.constantFrom(WEB_REPO, '{00000000-0000-4000-8000-000000000000}')) })),
      pullrequest: maybe(fc.record({ id: maybe(fc.integer({ min: -1, max: 9 })) })),
      comment: maybe(fc.record({ id: maybe(fc.integer({ min: 1, max: 800_000_000 })) })),
    }),
    [forgeRoutes.mergeCheck]: fc.record({
      repository: maybe(fc.record({ uuid: maybe(fc.constantFrom(WEB_REPO, '{00000000-0000-4000-8000-000000000000}')) })),
      pullrequest: maybe(fc.record({ id: maybe(fc.integer({ min: -1, max: 9 })) })),
    }),
    [forgeRoutes.invoke]: fc.anything({ maxDepth: 2 }),
  };
  const writes: Record<string, readonly string[]> = {
    // The installation's row and its first mirror sync (create-lifecycle-subscriber.ts); an uninstall purges both.
    [forgeRoutes.lifecycle]: ['tenants', 'jobs'],
    [forgeRoutes.events]: ['webhook_deliveries', 'jobs'],
    [forgeRoutes.mergeCheck]: [],
    [forgeRoutes.invoke]: [],
    [forgeRoutes.scheduled]: [],
  };

  for (const path of Object.values(forgeRoutes)) {
    it(`POST ${path}: ${RUNS} hostile calls, never a 5xx, never a write on refusal`, async () => {
      const token = fc.constantFrom('valid', 'other', 'expired', 'garbage', 'none');
      const moduleKey = fc.constantFrom('bosun-pr-panel', 'bosun-admin-settings', 'nope', null);
      await fc.assert(
        fc.asyncProperty(bodies[path] ?? fc.anything(), token, moduleKey, fc.boolean(), async (body, kindOfToken, module, systemToken) => {
          const who = kindOfToken === 'other' ? other : inst;
          const fit =
            kindOfToken === 'garbage'
              ? 'x.y.z'
              : kindOfToken === 'none'
                ? ''
                : await stack.forge.signFit({ installation: who, moduleKey: module, accountId: '712020:a11ce000-0000-4000-8000-000000000001', ttlSeconds: kindOfToken === 'expired' ? -1 : 60 });
          // The lifecycle route may uninstall `other` but never the installation the other routes use.
          const safeBody = path === forgeRoutes.lifecycle && who === inst && (body as { eventType?: unknown }).eventType === 'avi:forge:uninstalled:app' ? { ...(body as object), id: 'other-id' } : body;
          const before = await countRows();
          const res = await stack.forge.callEndpoint(path, who, safeBody, { fit: fit || 'missing', withSystemToken: systemToken });
          const after = await countRows();
          const what = `${path} ${kindOfToken} ${String(JSON.stringify(safeBody)).slice(0, 300)} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) {
            expect(after, `a refused call changed rows: ${what}`).toEqual(before);
            if (res.status === 401) expect(['garbage', 'none', 'expired'], what).toContain(kindOfToken);
          } else {
            const changed = TABLES.filter((t) => after[t] !== before[t]);
            expect(changed.filter((t) => !(writes[path] ?? []).includes(t)), `unexpected writes: ${what}`).toEqual([]);
          }
          if (kindOfToken === 'other' && (await stack.tenants.get(other.installationId)) === null) other = await stack.forge.install({ workspace: 'acme' });
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(await stack.tenants.get(inst.installationId)).not.toBeNull();
    }, 120_000);
  }
});
