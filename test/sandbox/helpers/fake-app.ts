import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQueryStringHash, decodeSymmetric, fromMethodAndUrl, SymmetricAlgorithm } from 'atlassian-jwt';
import express from 'express';

export interface ReceivedRequest {
  method: string;
  path: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface FakeApp {
  baseUrl: string;
  descriptorUrl: string;
  descriptor: Record<string, unknown>;
  received: ReceivedRequest[];
  /** status codes to answer the next webhook deliveries with (then 200) */
  webhookStatuses: number[];
  installedStatus: number;
  close(): Promise<void>;
}

/**
 * A tiny real Connect app over HTTP: serves its descriptor under a base path (/app) and records
 * lifecycle and webhook calls. Descriptor overrides let a test change key or scopes.
 */
export async function startFakeApp(overrides: Record<string, unknown> = {}): Promise<FakeApp> {
  const app = express();
  app.use(express.json());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}/app`;
  const fake: FakeApp = {
    baseUrl,
    descriptorUrl: `${baseUrl}/atlassian-connect.json`,
    descriptor: {
      key: 'bosun-test',
      name: 'Bosun (test)',
      description: 'Test app',
      baseUrl,
      authentication: { type: 'jwt' },
      lifecycle: { installed: '/installed', uninstalled: '/uninstalled' },
      scopes: ['account', 'pullrequest:write', 'repository:write'],
      contexts: ['account'],
      modules: {
        webhooks: [
          { event: 'pullrequest:approved', url: '/webhook' },
          { event: 'pullrequest:created', url: '/webhook' },
          { event: 'repo:commit_status_created', url: '/webhook' },
        ],
        webPanels: [
          { key: 'bosun-panel', name: { value: 'Bosun' }, location: 'org.bitbucket.pullrequest.overview.informationPanel', url: '/panel?repo={repository.uuid}&pr={pullrequest.id}&user={user.uuid}' },
        ],
        repoPages: [{ key: 'bosun-repo', name: { value: 'Bosun rules' }, location: 'org.bitbucket.repository.navigation', url: '/repo-page?repo={repository.full_name}' }],
        adminPages: [{ key: 'bosun-admin', name: { value: 'Bosun admin' }, location: 'org.bitbucket.account.admin', url: '/admin?ws={workspace.slug}' }],
      },
      ...overrides,
    },
    received: [],
    webhookStatuses: [],
    installedStatus: 204,
    close: () => new Promise((r) => server.close(() => r())),
  };
  app.get('/app/atlassian-connect.json', (_req, res) => res.json(fake.descriptor));
  app.use('/app', (req, res) => {
    fake.received.push({ method: req.method, path: req.path, url: req.originalUrl, headers: req.headers, body: req.body as Record<string, unknown> });
    if (req.path === '/installed') return res.status(fake.installedStatus).end();
    if (req.path === '/webhook') return res.status(fake.webhookStatuses.shift() ?? 200).end();
    res.status(204).end();
  });
  return fake;
}

/** Verifies an `Authorization: JWT` header like an app would; throws on any mismatch. */
export function verifyHostJwt(req: ReceivedRequest, secret: string, appBaseUrl: string): Record<string, unknown> {
  const header = String(req.headers.authorization ?? '');
  const token = header.replace(/^JWT /, '');
  const claims = decodeSymmetric(token, secret, SymmetricAlgorithm.HS256) as Record<string, unknown>;
  const qsh = createQueryStringHash(fromMethodAndUrl(req.method, req.url), false, appBaseUrl);
  if (claims.qsh !== qsh) throw new Error(`qsh mismatch: ${String(claims.qsh)} vs ${qsh}`);
  return claims;
}
