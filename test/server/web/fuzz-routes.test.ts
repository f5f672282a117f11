import { createHmac } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { webhookDataSchemas } from '../../../server/bitbucket/webhooks';
import { mintSessionToken, pageNames, type PageName } from '../../../server/connect';
import { installedBody, installFake, signInbound, unsignedToken, type FakeInstallation } from '../../helpers/fake-host';
import { installIdOf, startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { framed, headerValue, mutatedObject, nastyString, nastyValue, percentEncode, queryFor, rawComponent, type BodyFraming } from './fuzz-arbitraries';
import { countRows, fakeBitbucketFetch, fakeClientDir, FUZZ_USER, listAppRoutes, sendRaw, type RawRequest, type RawResponse } from './fuzz-support';

/**
 * Every route of the app, reached with a valid session or Connect JWT, is fed generated hostile
 * input. Whatever comes in, the answer is never a 5xx, a refused request leaves every table as it
 * was, an accepted one writes only where that route writes, and nothing is logged as an error.
 */

const SEED = 20_261_201;
const RUNS = 200;
// 200 requests take about a second per route here; the margin is for a loaded machine, not for a slow property.
const REPO = '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}';
const REAL_STATE = 'REAL-OAUTH-STATE';
const REAL_NONCE = 'REAL-OAUTH-NONCE';

interface FuzzRoute {
  method: string;
  path: string;
  /** Generated requests, with valid credentials for the route. */
  request: () => fc.Arbitrary<RawRequest>;
  /** Tables a 2xx/3xx answer may change ('any': uninstall purges the tenant's rows). */
  writes?: string[] | 'any';
  /** Runs after an accepted request, outside the row-count comparison. */
  afterAccepted?: () => Promise<void>;
  /** Completes a generated request with server-side state (run before the row counts are taken). */
  prepare?: (req: RawRequest) => Promise<RawRequest>;
  /** Tables a refused request may still shrink by one row (a single-use OAuth state is burnt when tried). */
  refusalMayConsume?: string[];
  /** Tables a refused request may grow by one row: a log of refusals people read (a CI integration's last deliveries). */
  refusalMayLog?: string[];
  /** What an accepted request must have written, given the row counts around it and the answer. */
  consistent?: (delta: Record<string, number>, res: RawResponse) => Promise<void> | void;
}

/** Every table changed by at most `max` rows, never shrinking. */
const atMost = (delta: Record<string, number>, tables: string[], max: number) => {
  for (const t of tables) expect(delta[t], t).toBeGreaterThanOrEqual(0);
  for (const t of tables) expect(delta[t], t).toBeLessThanOrEqual(max);
};

const braced = fc.uuid().map((u) => `{${u}}`);
const uuidLike = fc.oneof({ weight: 3, arbitrary: fc.constant(REPO) }, { weight: 2, arbitrary: braced }, { weight: 1, arbitrary: nastyString });
const positiveId = fc.oneof(fc.integer({ min: 1, max: 5000 }), nastyNumber());
const idempotencyKey = fc.oneof(fc.uuid(), fc.string({ minLength: 8, maxLength: 128 }), nastyString);

function nastyNumber() {
  return fc.oneof(fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1.5, 1e308), fc.integer());
}

function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

function toRequest(method: string, path: string, framing: BodyFraming | null, headers: Record<string, string>): RawRequest {
  return { method, path, headers: { ...(framing?.headers ?? {}), ...headers }, body: framing?.body ?? null };
}

/** qsh over a URL as sent; when the URL is beyond what atlassian-jwt can canonicalise, a qsh Bosun will refuse. */
function signFor(inst: FakeInstallation, method: string, url: string): string {
  try {
    return signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method, url });
  } catch {
    return signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method, url, qsh: 'not-computable' });
  }
}

describe.each(testDatabaseKinds())('fuzzing every route with valid credentials (%s)', (kind) => {
  let bosun: RunningBosun;
  let appKey: string;
  let tenant: FakeInstallation;
  let victim: FakeInstallation;
  let tenantInstallId: string;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    bosun = await startBosun({
      database: kind,
      worker: false,
      clientDir: fakeClientDir(),
      fetch: fakeBitbucketFetch,
      // Rate limits have their own tests; here every request must reach its route's validation and handler.
      env: { BITBUCKET_OAUTH_CLIENT_ID: 'fuzz-client', BITBUCKET_OAUTH_CLIENT_SECRET: 'fuzz-secret', BOSUN_RATE_LIMIT_PER_MINUTE: '0', BOSUN_LIFECYCLE_RATE_LIMIT: '0', LOG_LEVEL: 'warn' },
    });
    appKey = bosun.services.deps.descriptor.key;
    const make = (n: string): FakeInstallation => {
      const workspaceUuid = `{00000000-0000-4000-8000-00000000000${n}}`;
      return { clientKey: `ari:cloud:bitbucket::app/${workspaceUuid}/${appKey}`, sharedSecret: `fuzz-shared-secret-${n}-0123456789`, workspaceUuid, baseUrl: 'http://localhost:4999' };
    };
    tenant = make('1');
    victim = make('2');
    await installFake(bosun.url, appKey, tenant);
    await installFake(bosun.url, appKey, victim);
    tenantInstallId = await installIdOf(bosun, tenant.clientKey);
  });
  afterAll(async () => {
    agent.destroy();
    await bosun?.close();
  });

  /** One generic CI integration of the tenant, made on first use (before a request's row counts). */
  let ciMade: Promise<{ id: string; secret: string }> | null = null;
  const ciIntegration = () =>
    (ciMade ??= bosun.services.deps.ciIntegrations!.create({ clientKey: tenant.clientKey, provider: 'generic', name: 'Fuzz CI', repository: 'acme/web', createdBy: FUZZ_USER }).then(
      ({ integration, secret }) => ({ id: integration.id, secret }),
    ));

  const session = (page: PageName, viewer: { userUuid: string | null; accountId: string | null } = { userUuid: FUZZ_USER, accountId: '557058:fuzz' }) =>
    mintSessionToken({ clientKey: tenant.clientKey, installId: tenantInstallId, ...viewer, page }, bosun.services.deps.sessionKey, Math.floor(Date.now() / 1000));
  /** Sessions are minted from the iframe URL Bitbucket signed: mostly a real viewer, now and then odd or anonymous. */
  const viewer = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ userUuid: FUZZ_USER, accountId: '557058:fuzz' }) },
    { weight: 1, arbitrary: fc.record({ userUuid: fc.option(nastyString), accountId: fc.option(nastyString) }) },
  );

  /** An iframe API call: the session of a page allowed to call it, anything else hostile. */
  const sessionRoute = (
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    page: PageName,
    input: { query?: Record<string, fc.Arbitrary<string>>; body?: Record<string, fc.Arbitrary<unknown>>; pathFor?: fc.Arbitrary<string> },
    writes?: string[],
    consistent?: FuzzRoute['consistent'],
  ): FuzzRoute => ({
    consistent,
    method,
    path,
    writes,
    request: () =>
      fc
        .tuple(
          input.pathFor ?? fc.constant(path),
          viewer,
          queryFor(input.query ?? {}),
          input.body ? framed(mutatedObject(input.body), { tooLargeBytes: 70_000 }) : fc.option(framed(nastyValue, { tooLargeBytes: 70_000 }), { freq: 2 }),
        )
        .map(([p, who, q, framing]) => toRequest(method, withQuery(p, q), framing, { authorization: `Bearer ${session(page, who)}` })),
  });

  /** A route anyone may call: hostile query and body. */
  const openRoute = (method: 'GET', path: string, query: Record<string, fc.Arbitrary<string>> = {}, writes?: string[]): FuzzRoute => ({
    method,
    path,
    writes,
    request: () =>
      fc
        .tuple(queryFor(query), fc.option(framed(nastyValue, { tooLargeBytes: 70_000 }), { freq: 3 }), fc.option(headerValue, { freq: 2 }))
        .map(([q, framing, cookie]) => toRequest(method, withQuery(path, q), framing, cookie !== null ? { cookie } : {})),
  });

  const planTemplate = {
    summary: fc.oneof(fc.constant('Approve #1'), nastyString),
    source: fc.constantFrom('command', 'rule', 'natural-language', 'button', 'webhook', 'llm'),
    steps: fc.oneof(
      fc.constant([{ tool: 'pullRequest.approve', input: { repo: REPO, pullRequestId: 1 } }]),
      fc.array(mutatedObject({ tool: fc.constantFrom('pullRequest.approve', 'pullRequest.comment', 'branch.create', 'nope'), input: mutatedObject({ repo: uuidLike, pullRequestId: positiveId, body: nastyString }) }), { maxLength: 3 }),
    ),
  };

  const user = { type: 'user', uuid: FUZZ_USER, account_id: '557058:fuzz', display_name: 'Fuzz' };
  const webhookData = mutatedObject({
    actor: fc.oneof(fc.constant(user), mutatedObject({ type: fc.constant('user'), uuid: uuidLike, account_id: nastyString })),
    repository: fc.oneof(
      fc.constant({ type: 'repository', uuid: REPO, full_name: 'acme/web' }),
      mutatedObject({ type: fc.constant('repository'), uuid: uuidLike, full_name: nastyString }),
    ),
    pullrequest: mutatedObject({
      type: fc.constant('pullrequest'),
      id: positiveId,
      title: nastyString,
      state: fc.constantFrom('OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'),
      source: fc.constant({ branch: { name: 'fix' }, commit: { hash: '26240d6b7e74' } }),
      destination: fc.constant({ branch: { name: 'main' }, commit: { hash: 'aaaaaaaaaaaa' } }),
    }),
    approval: fc.constant({ date: '2026-11-22T10:00:00Z', user }),
    comment: mutatedObject({ id: positiveId, content: mutatedObject({ raw: nastyString }) }),
    commit_status: mutatedObject({
      key: nastyString,
      type: fc.constant('build'),
      state: fc.constantFrom('INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED'),
      commit: mutatedObject({ hash: nastyString }),
    }),
    push: fc.constant({ changes: [{ new: { type: 'branch', name: 'main' }, old: null, created: false, closed: false, forced: false }] }),
  });
  const eventKey = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...Object.keys(webhookDataSchemas)) }, { weight: 1, arbitrary: nastyString });

  const routes = (): FuzzRoute[] => [
    openRoute('GET', '/healthz'),
    openRoute('GET', '/metrics'),
    openRoute('GET', '/atlassian-connect.json'),
    openRoute('GET', '/'),
    {
      method: 'POST',
      path: '/connect/installed',
      // The installation's row, and the core's answer to the lifecycle event: this period's first mirror sync
      // (create-lifecycle-subscriber.ts), none when an install of the same tenant already queued it this period.
      writes: ['tenants', 'jobs'],
      consistent: (delta) => atMost(delta, ['tenants', 'jobs'], 1),
      request: () =>
        fc
          .tuple(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{24,40}$/), fc.constantFrom('localhost', '127.0.0.1', 'bitbucket.org', 'evil.example'), queryFor({}), fc.integer({ min: 0, max: 9 }))
          .chain(([ws, secret, host, query, tokenKind]) => {
            const inst: FakeInstallation = { clientKey: `ari:cloud:bitbucket::app/{${ws}}/${appKey}`, sharedSecret: secret, workspaceUuid: `{${ws}}`, baseUrl: `http://${host}:4999` };
            const valid = installedBody(appKey, inst) as Record<string, unknown>;
            const template = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, fc.constant(v)]));
            template.principal = fc.oneof(fc.constant(valid.principal), mutatedObject({ type: fc.constant('team'), uuid: uuidLike, username: nastyString, display_name: nastyString }));
            template.actor = fc.oneof(fc.constant(valid.actor), mutatedObject({ uuid: uuidLike, account_id: nastyString }));
            template.clientKey = fc.oneof({ weight: 3, arbitrary: fc.constant(inst.clientKey) }, { weight: 1, arbitrary: nastyString });
            return framed(mutatedObject(template), { tooLargeBytes: 70_000 }).map((framing) => {
              const body = (() => {
                try {
                  return JSON.parse(framing.body?.toString() ?? 'null') as Record<string, unknown> | null;
                } catch {
                  return null;
                }
              })();
              const iss = typeof body?.clientKey === 'string' ? body.clientKey : inst.clientKey;
              const key = typeof body?.sharedSecret === 'string' && body.sharedSecret ? body.sharedSecret : inst.sharedSecret;
              const url = withQuery('/connect/installed', query);
              const token =
                tokenKind === 0 ? unsignedToken({ iss, exp: 9e9, qsh: 'x' }) : tokenKind === 1 ? 'not.a.jwt' : signFor({ ...inst, clientKey: iss, sharedSecret: key }, 'POST', url);
              return toRequest('POST', url, framing, { authorization: `JWT ${token}` });
            });
          }),
    },
    {
      method: 'POST',
      path: '/connect/uninstalled',
      writes: 'any',
      afterAccepted: async () => installFake(bosun.url, appKey, victim),
      request: () =>
        fc
          .tuple(
            framed(
              mutatedObject({
                productType: fc.constant('bitbucket'),
                eventType: fc.constant('uninstalled'),
                key: fc.oneof(fc.constant(appKey), nastyString),
                clientKey: fc.oneof({ weight: 3, arbitrary: fc.constant(victim.clientKey) }, { weight: 1, arbitrary: fc.constant(tenant.clientKey) }, { weight: 1, arbitrary: nastyString }),
              }),
              { tooLargeBytes: 70_000 },
            ),
            queryFor({}),
          )
          .map(([framing, query]) => {
            const url = withQuery('/connect/uninstalled', query);
            return toRequest('POST', url, framing, { authorization: `JWT ${signFor(victim, 'POST', url)}` });
          }),
    },
    {
      method: 'POST',
      path: '/webhooks/bitbucket',
      // The workspace mirror's projection runs in the intake's path too (after the delivery is stored).
      writes: ['webhook_deliveries', 'jobs', 'mirror_repositories', 'mirror_pull_requests', 'mirror_commit_statuses'],
      // One delivery row per new X-Request-UUID, and never a job without its delivery (same transaction):
      // at most its own job and the automation rules' job (create-rule-automations.ts).
      consistent: (delta) => {
        atMost(delta, ['webhook_deliveries', 'mirror_repositories', 'mirror_pull_requests', 'mirror_commit_statuses'], 1);
        atMost(delta, ['jobs'], 2);
        expect(delta.jobs).toBeLessThanOrEqual(2 * (delta.webhook_deliveries ?? 0));
      },
      request: () =>
        eventKey.chain((event) =>
          fc
            .tuple(
              framed(mutatedObject({ event: fc.constant(event), data: webhookData }), { tooLargeBytes: 1_100_000 }),
              fc.oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerValue }),
              fc.oneof({ weight: 2, arbitrary: fc.uuid().map((u) => `{${u}}`) }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.constant(null) }),
              fc.oneof({ weight: 2, arbitrary: fc.constantFrom('1', '2', '3') }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.constant(null) }),
              // Bitbucket names the event in the header too; now and then it is missing or another one.
              fc.oneof({ weight: 4, arbitrary: fc.constant(event) }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.constant(null) }),
              queryFor({}),
            )
            .map(([framing, requestUuid, hookUuid, attempt, headerEvent, query]) => {
              const url = withQuery('/webhooks/bitbucket', query);
              const headers: Record<string, string> = { authorization: `JWT ${signFor(tenant, 'POST', url)}`, 'x-request-uuid': requestUuid };
              if (hookUuid !== null) headers['x-hook-uuid'] = hookUuid;
              if (attempt !== null) headers['x-attempt-number'] = attempt;
              // A header can only carry latin-1: an event key beyond it is sent percent-encoded.
              if (headerEvent !== null) headers['x-event-key'] = /^[\x20-\x7e\x80-\xff]*$/.test(headerEvent) ? headerEvent : percentEncode(headerEvent);
              return toRequest('POST', url, framing, headers);
            }),
        ),
    },
    {
      method: 'GET',
      path: '/pages/:page',
      request: () =>
        fc
          .tuple(
            fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pageNames) }, { weight: 1, arbitrary: rawComponent }),
            queryFor({ repoUuid: uuidLike, repoFullName: nastyString, prId: fc.oneof(fc.constant('7'), nastyString), userUuid: fc.oneof(fc.constant(FUZZ_USER), nastyString), accountId: nastyString }),
            fc.option(framed(nastyValue, { tooLargeBytes: 70_000 }), { freq: 4 }),
          )
          .map(([page, query, framing]) => {
            const url = withQuery(`/pages/${page}`, query);
            const jwt = signFor(tenant, 'GET', url);
            return toRequest('GET', `${url}${query ? '&' : '?'}jwt=${encodeURIComponent(jwt)}`, framing, {});
          }),
    },
    {
      method: 'GET',
      path: '/oauth/start',
      writes: ['oauth_states'],
      request: () =>
        fc
          .tuple(fc.oneof(fc.constant('valid'), nastyString), queryFor({}), fc.option(headerValue, { freq: 2 }))
          .map(([ticket, query, cookie]) => {
            const t = ticket === 'valid' ? bosun.services.deps.oauth.createStartTicket({ clientKey: tenant.clientKey, userUuid: FUZZ_USER }) : ticket;
            const q = [`ticket=${percentEncode(t)}`, query].filter(Boolean).join('&');
            return toRequest('GET', `/oauth/start?${q}`, null, cookie !== null ? { cookie } : {});
          }),
    },
    {
      method: 'GET',
      path: '/oauth/callback',
      refusalMayConsume: ['oauth_states'],
      // A real flow started for this browser (state and nonce cookie), then answered with hostile values.
      prepare: async (req) => {
        if (!req.path.includes(REAL_STATE) && !req.headers.cookie?.includes(REAL_NONCE)) return req;
        const ticket = bosun.services.deps.oauth.createStartTicket({ clientKey: tenant.clientKey, userUuid: FUZZ_USER });
        const { authorizeUrl, browserNonce } = await bosun.services.deps.oauth.begin(ticket);
        const state = new URL(authorizeUrl).searchParams.get('state') ?? '';
        return { ...req, path: req.path.replace(REAL_STATE, state), headers: { ...req.headers, cookie: (req.headers.cookie ?? '').replace(REAL_NONCE, browserNonce) } };
      },
      request: () =>
        fc
          .tuple(
            queryFor({
              code: nastyString,
              state: fc.oneof({ weight: 2, arbitrary: fc.constant(REAL_STATE) }, { weight: 1, arbitrary: nastyString }),
              // Mostly no error, so that the code is exchanged (Bitbucket refuses it here).
              error: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('access_denied') }, { weight: 1, arbitrary: nastyString }),
            }),
            fc.oneof(
              { weight: 2, arbitrary: fc.constant(`bosun_oauth_nonce=${REAL_NONCE}`) },
              { weight: 1, arbitrary: rawComponent.map((v) => `bosun_oauth_nonce=${v}`) },
              { weight: 1, arbitrary: headerValue },
              { weight: 1, arbitrary: fc.constant('bosun_oauth_nonce=%E0%A4%A; other=1') },
            ),
          )
          .map(([query, cookie]) => toRequest('GET', withQuery('/oauth/callback', query), null, { cookie })),
    },
    // A live read that reached Bitbucket is charged to the person's lane, refused (404 from Bitbucket) or not: one budget row at most.
    { ...sessionRoute('GET', '/api/pr-panel', 'pr-panel', { query: { repoUuid: uuidLike, prId: fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), nastyString) } }), refusalMayLog: ['budget_usage'] },
    ...(['approve', 'unapprove'] as const).map((action) =>
      sessionRoute('POST', `/api/pr-panel/${action}`, 'pr-panel', { body: { repoUuid: uuidLike, prId: positiveId, idempotencyKey } }, ['jobs']),
    ),
    sessionRoute('POST', '/api/oauth/start', 'personal-settings', {}),
    sessionRoute('DELETE', '/api/oauth/connection', 'personal-settings', {}, ['user_connections', 'audit_entries']),
    { ...sessionRoute('GET', '/api/repo-dashboard', 'repo-dashboard', { query: { repoUuid: uuidLike } }), refusalMayLog: ['budget_usage'] },
    sessionRoute('GET', '/api/admin-settings', 'admin-settings', {}),
    sessionRoute('GET', '/api/pr-panel/readiness', 'pr-panel', { query: { repoUuid: uuidLike, prId: fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), nastyString) } }),
    sessionRoute('GET', '/api/pr-panel/rule-activity', 'pr-panel', { query: { repoUuid: uuidLike, prId: fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), nastyString) } }),
    sessionRoute('GET', '/api/admin/policy', 'admin-settings', {}),
    sessionRoute('POST', '/api/admin/policy', 'admin-settings', {
      body: { layer: fc.oneof(fc.constant({ stale: { mode: 'on' } }), fc.object({ maxDepth: 2 })), expectedVersion: fc.oneof(fc.nat(3), nastyString) },
    }, ['policies']),
    sessionRoute('POST', '/api/admin/policy/preview', 'admin-settings', {
      body: { layer: fc.oneof(fc.constant({ readiness: { titlePattern: '^X' } }), fc.object({ maxDepth: 2 })) },
    }),
    sessionRoute('GET', '/api/admin/policy/repositories', 'admin-settings', {}),
    sessionRoute('GET', '/api/admin/policy/repository', 'admin-settings', { query: { repoUuid: uuidLike } }),
    sessionRoute('POST', '/api/admin/policy/repository', 'admin-settings', {
      body: { repoUuid: uuidLike, layer: fc.oneof(fc.constant({ stale: { mode: 'on' } }), fc.object({ maxDepth: 2 })), expectedVersion: fc.oneof(fc.nat(3), nastyString) },
    }, ['policies']),
    sessionRoute('POST', '/api/admin/policy/repository/preview', 'admin-settings', {
      body: { repoUuid: uuidLike, layer: fc.oneof(fc.constant({ readiness: { titlePattern: '^X' } }), fc.object({ maxDepth: 2 })) },
    }),
    sessionRoute('GET', '/api/admin/ci-integrations', 'admin-settings', {}),
    sessionRoute('POST', '/api/admin/ci-integrations', 'admin-settings', {
      body: {
        provider: fc.oneof(fc.constantFrom('generic', 'github-actions', 'gitlab', 'jenkins', 'circleci'), nastyString),
        name: fc.oneof(fc.constant('Jenkins'), nastyString),
        repository: fc.oneof(fc.constant('acme/web'), fc.constant(null), nastyString),
      },
    }, ['ci_integrations'], (delta) => atMost(delta, ['ci_integrations'], 1)),
    sessionRoute('POST', '/api/admin/ci-integrations/:id/rotate', 'admin-settings', {
      pathFor: fc.oneof(fc.stringMatching(/^ci_[A-Za-z0-9]{12}$/), rawComponent).map((id) => `/api/admin/ci-integrations/${id}/rotate`),
    }, ['ci_integrations']),
    sessionRoute('DELETE', '/api/admin/ci-integrations/:id', 'admin-settings', {
      pathFor: fc.oneof(fc.stringMatching(/^ci_[A-Za-z0-9]{12}$/), rawComponent).map((id) => `/api/admin/ci-integrations/${id}`),
    }, ['ci_integrations', 'ci_deliveries']),
    sessionRoute('GET', '/api/admin/templates', 'admin-settings', {}),
    sessionRoute('POST', '/api/admin/templates', 'admin-settings', {
      body: {
        template: fc.oneof(fc.constant({ name: 'service', settings: { isPrivate: true, branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }] } }), fc.object({ maxDepth: 3 })),
        expectedVersion: fc.oneof(fc.nat(3), nastyString),
      },
    }, ['repository_templates']),
    sessionRoute('DELETE', '/api/admin/templates', 'admin-settings', { query: { name: fc.oneof(fc.constant('service'), nastyString) } }, ['repository_templates', 'repository_template_bindings']),
    sessionRoute('POST', '/api/admin/templates/preview', 'admin-settings', { body: { template: fc.oneof(fc.constant('service'), nastyString), repos: fc.array(fc.oneof(fc.constant('web'), nastyString), { maxLength: 3 }) } }),
    sessionRoute('POST', '/api/admin/templates/apply', 'admin-settings', {
      body: { template: fc.oneof(fc.constant('service'), nastyString), repos: fc.array(fc.oneof(fc.constant('web'), nastyString), { maxLength: 3 }), batchKey: idempotencyKey, confirmed: fc.oneof(fc.constant(true), fc.boolean(), nastyString) },
    }, ['jobs'], (delta) => atMost(delta, ['jobs'], 3)),
    sessionRoute('GET', '/api/admin/templates/progress', 'admin-settings', { query: { jobs: fc.oneof(fc.uuid(), nastyString), batch: fc.oneof(fc.uuid(), nastyString) } }),
    sessionRoute('POST', '/api/admin/templates/create-repository', 'admin-settings', {
      body: { template: fc.oneof(fc.constant('service'), nastyString), repo: fc.oneof(fc.constant('tools'), nastyString), requestKey: idempotencyKey, confirmed: fc.oneof(fc.constant(true), fc.boolean(), nastyString) },
    }, ['jobs'], (delta) => atMost(delta, ['jobs'], 1)),
    sessionRoute('GET', '/api/workspace', 'workspace', {}),
    sessionRoute('POST', '/api/admin/templates/drift-check', 'admin-settings', {}, ['jobs'], (delta) => atMost(delta, ['jobs'], 1)),
    sessionRoute('GET', '/api/admin/templates/drift-check', 'admin-settings', { query: { job: fc.oneof(fc.uuid(), nastyString) } }),
    sessionRoute('GET', '/api/personal-settings', 'personal-settings', {}),
    sessionRoute('POST', '/api/agent/plan', 'pr-panel', { body: { text: fc.oneof(fc.constantFrom('approve this', 'merge when green', 'comment hello'), nastyString), repoUuid: uuidLike, prId: fc.oneof(positiveId, fc.constant(null)) } }),
    sessionRoute('POST', '/api/agent/execute', 'pr-panel', { body: { plan: mutatedObject(planTemplate), idempotencyKey, confirmed: fc.boolean() } }, ['jobs'], async (delta, res) => {
      // Accepted means queued: the job it names is stored, for this tenant, exactly once.
      atMost(delta, ['jobs'], 1);
      const { jobId } = JSON.parse(res.body) as { jobId: string };
      expect(await bosun.services.automation.queue.get(tenant.clientKey, jobId)).not.toBeNull();
    }),
    sessionRoute('GET', '/api/agent/jobs/:jobId', 'pr-panel', {
      pathFor: fc.oneof(fc.uuid(), rawComponent).map((id) => `/api/agent/jobs/${id}`),
    }),
    sessionRoute('GET', '/api/agent/pending-merges', 'pr-panel', { query: { repoUuid: uuidLike, prId: fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), nastyString) } }),
    sessionRoute('GET', '/api/pr-panel/queue', 'pr-panel', { query: { repoUuid: uuidLike, prId: fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), nastyString) } }),
    sessionRoute('GET', '/api/repo-dashboard/queues', 'repo-dashboard', { query: { repoUuid: uuidLike } }),
    sessionRoute('GET', '/api/admin/merge-queues', 'admin-settings', {}),
    sessionRoute('POST', '/api/admin/merge-queues', 'admin-settings', {
      body: {
        repository: fc.oneof(fc.constant('acme/web'), nastyString),
        branch: fc.oneof(fc.constant('main'), nastyString),
        settings: fc.oneof(fc.constant({ frozen: true }), fc.constant({ lanes: ['hotfix', 'default'], batchSize: 2 }), fc.object({ maxDepth: 2 })),
      },
    }, ['merge_queues', 'audit_entries', 'executions', 'budget_usage']),
    {
      method: 'POST',
      path: '/ci/:provider/:integrationId',
      // Every delivery to a real integration lands in its log (trimmed to 50), refused ones too; an accepted one queues its job.
      writes: ['ci_deliveries', 'jobs'],
      refusalMayLog: ['ci_deliveries'],
      consistent: (delta) => atMost(delta, ['ci_deliveries', 'jobs'], 1),
      prepare: async (req) => {
        const { id, secret } = await ciIntegration();
        const { 'x-fuzz-sign': sign, ...headers } = req.headers;
        if (sign === 'hmac') headers['x-bosun-signature'] = `sha256=${createHmac('sha256', secret).update(req.body ?? Buffer.alloc(0)).digest('hex')}`;
        if (sign === 'bearer') headers.authorization = `Bearer ${secret}`;
        return { ...req, path: req.path.replace('CI_INTEGRATION', id), headers };
      },
      request: () =>
        fc
          .tuple(
            fc.oneof({ weight: 6, arbitrary: fc.constant('generic') }, { weight: 1, arbitrary: fc.constantFrom('github-actions', 'gitlab', 'jenkins', 'circleci') }, { weight: 1, arbitrary: rawComponent }),
            fc.oneof({ weight: 6, arbitrary: fc.constant('CI_INTEGRATION') }, { weight: 1, arbitrary: rawComponent }),
            framed(
              mutatedObject({
                version: fc.constant(1),
                commit: fc.oneof(fc.constant('a'.repeat(40)), nastyString),
                check: nastyString,
                state: fc.constantFrom('running', 'success', 'failure', 'skipped'),
                url: fc.oneof(fc.constant('https://ci.acme.test/1'), nastyString),
                junit: fc.option(fc.oneof(fc.constant('<testsuites><testsuite><testcase name="t"><failure message="m"/></testcase></testsuite></testsuites>'), nastyString)),
                findings: fc.option(fc.array(mutatedObject({ message: nastyString, path: nastyString, line: positiveId }), { maxLength: 3 })),
              }),
              { tooLargeBytes: 6_500_000 },
            ),
            fc.constantFrom('hmac', 'hmac', 'hmac', 'bearer', 'none', 'wrong'),
            queryFor({}),
          )
          .map(([provider, id, framing, sign, query]) =>
            toRequest('POST', withQuery(`/ci/${provider}/${id}`, query), framing, { 'x-fuzz-sign': sign, ...(sign === 'wrong' ? { 'x-bosun-signature': 'sha256=00' } : {}) }),
          ),
    },
    sessionRoute('GET', '/api/audit', 'admin-settings', {
      query: {
        repo: fc.oneof(fc.constant('acme/web'), nastyString),
        actor: fc.oneof(fc.constant(FUZZ_USER), nastyString),
        tool: fc.oneof(fc.constant('pullRequest.approve'), nastyString),
        outcome: fc.oneof(fc.constantFrom('succeeded', 'failed', 'refused'), nastyString),
        limit: fc.oneof(fc.integer({ min: 1, max: 200 }).map(String), nastyString),
        offset: fc.oneof(fc.integer({ min: 0, max: 1000 }).map(String), nastyString),
      },
    }),
  ];

  const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

  it('covers every route registered on the app', () => {
    const registered = listAppRoutes(createApp(bosun.services.deps)).map(routeKey);
    expect(registered.length).toBeGreaterThan(15);
    const fuzzed = new Set(routes().map(routeKey));
    // A new route needs an entry in routes() above: its inputs, the page or JWT that reaches it, and what it may write.
    const missing = [...new Set(registered)].filter((r) => !fuzzed.has(r)).sort();
    const stale = [...fuzzed].filter((r) => !registered.includes(r)).sort();
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  /** Refusals at the edge (framing, URL, schema); any other answer came from the handler itself. */
  const EDGE_CODES = new Set(['BODY_INVALID', 'BODY_TOO_LARGE', 'BODY_ENCODING_INVALID', 'BODY_ENCODING_UNSUPPORTED', 'BODY_CHARSET_UNSUPPORTED', 'URL_INVALID', 'REQUEST_INVALID', 'LIFECYCLE_BAD_BODY']);
  const reachedHandler = (res: RawResponse): boolean => {
    if (res.status < 400) return true;
    try {
      return !EDGE_CODES.has((JSON.parse(res.body) as { error?: { code?: string } }).error?.code ?? '');
    } catch {
      return true;
    }
  };

  it(`${RUNS} requests to paths no route owns (static assets, unknown API paths, odd methods): 4xx, never a 5xx`, async () => {
    const segment = fc.oneof({ weight: 2, arbitrary: fc.constantFrom('api', 'assets', 'pages', 'oauth', 'connect', 'webhooks', 'app.js', 'agent', 'jobs', '') }, { weight: 3, arbitrary: rawComponent });
    const request = fc
      .tuple(
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        queryFor({}),
        fc.option(framed(nastyValue, { tooLargeBytes: 70_000 }), { freq: 2 }),
        fc.option(fc.constantFrom(`Bearer ${'x'.repeat(20)}`, 'JWT a.b.c', 'Basic Zm9vOmJhcg=='), { freq: 2 }),
      )
      .map(([method, segments, query, framing, authorization]) =>
        toRequest(method, withQuery(`/${segments.join('/')}`, query), framing, authorization ? { authorization, origin: 'https://evil.example' } : { origin: 'https://evil.example' }),
      );
    const logsBefore = bosun.logLines.length;
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const before = await countRows(bosun.services.db);
        const res = await sendRaw(bosun.url, agent, req);
        // What an accepted webhook sets off after its 2xx (the mirror's projection) belongs to that request.
        await bosun.services.deps.automation.intake.settled?.();
        const what = describeResponse(req, res);
        expect(res.status, what).toBeLessThan(500);
        expect(res.headers['x-content-type-options'], what).toBe('nosniff');
        expect(res.headers['access-control-allow-origin'], what).toBeUndefined();
        if (res.status >= 400) {
          expect(res.headers['cache-control'], what).toBe('no-store');
          expect(await countRows(bosun.services.db), what).toEqual(before);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(bosun.logLines.slice(logsBefore).filter((l) => (JSON.parse(l) as { level: string }).level === 'error')).toEqual([]);
  }, 90_000);

  const describeResponse = (req: RawRequest, res: RawResponse) =>
    `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 300)} → ${res.status} ${res.body.slice(0, 300)}`;

  for (const route of routes()) {
    it(`${routeKey(route)}: ${RUNS} hostile requests, never a 5xx, never a half-write`, async () => {
      const statuses = new Map<number, number>();
      let reached = 0;
      const logsBefore = bosun.logLines.length;
      await fc.assert(
        fc.asyncProperty(route.request(), async (generated) => {
          const req = route.prepare ? await route.prepare(generated) : generated;
          const before = await countRows(bosun.services.db);
          const res = await sendRaw(bosun.url, agent, req);
          await bosun.services.deps.automation.intake.settled?.();
          const after = await countRows(bosun.services.db);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (reachedHandler(res)) reached += 1;
          const logged = res.status >= 500 ? ` logged: ${bosun.logLines.at(-1)?.slice(0, 1500)}` : '';
          const what = `${describeResponse(req, res)}${logged}`;
          expect(res.status, what).toBeLessThan(500);
          expect(res.headers['x-content-type-options'], what).toBe('nosniff');
          expect(res.headers['access-control-allow-origin'], what).toBeUndefined();
          if (res.status >= 400) {
            expect(res.headers['cache-control'], what).toBe('no-store');
            const consumed = route.refusalMayConsume ?? [];
            const logs = route.refusalMayLog ?? [];
            const kept = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([t]) => !consumed.includes(t) && !logs.includes(t)));
            expect(kept(after), `a refused request changed rows: ${what}`).toEqual(kept(before));
            for (const t of consumed) expect((before[t] ?? 0) - (after[t] ?? 0), `${t}: ${what}`).toBeOneOf([0, 1]);
            for (const t of logs) expect((after[t] ?? 0) - (before[t] ?? 0), `${t}: ${what}`).toBeOneOf([0, 1]);
          } else {
            const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (route.writes !== 'any') expect(changed.filter((t) => !(route.writes ?? []).includes(t)), `unexpected writes: ${what}`).toEqual([]);
            await route.consistent?.(Object.fromEntries(Object.keys(after).map((t) => [t, (after[t] ?? 0) - (before[t] ?? 0)])), res);
            if (route.afterAccepted) await route.afterAccepted();
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      const errors = bosun.logLines.slice(logsBefore).filter((l) => (JSON.parse(l) as { level: string }).level === 'error');
      expect(errors).toEqual([]);
      // The generators must get past the edge into the handler, not only bounce off the schema.
      expect(reached, `answers: ${JSON.stringify(Object.fromEntries(statuses))}`).toBeGreaterThanOrEqual(RUNS / 20);
    }, 90_000);
  }
});
