import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  createDefaultToolCatalog,
  createExecutor,
  createMemoryAuditStore,
  createMemoryAutoMergeStore,
  createMemoryExecutionStore,
  type ClientResolver,
  type Executor,
  type ToolCatalog,
} from '../../../server/agent';
import { createBitbucketClient, type BitbucketClient } from '../../../server/bitbucket';
import { PROJECT_ROOT } from '../../../server/create-services';
import { createSandbox, DEV_OAUTH_CONSUMER_KEY, type Sandbox } from '../../../sandbox';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { tempDir } from '../../helpers/test-databases';

/** Scopes the agent's tools need; the repo's descriptor asks for fewer today. */
export const AGENT_TEST_SCOPES = ['account', 'repository:admin', 'repository:write', 'pullrequest:write', 'pipeline:write', 'webhook'];

export interface AgentStack {
  bosun: RunningBosun;
  sandbox: Sandbox;
  clientKey: string;
  clients: ClientResolver;
  installationClient: BitbucketClient;
  tools: ToolCatalog;
  autoMerges: ReturnType<typeof createMemoryAutoMergeStore>;
  executor: Executor;
  close(): Promise<void>;
}

/**
 * Bosun (installed with the scopes above) and the sandbox with fast pipelines, plus an executor
 * wired to real clients: the installation's Connect JWT client and sandbox-issued OAuth tokens for users.
 */
export async function startAgentStack(): Promise<AgentStack> {
  const descriptor = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'atlassian-connect.json'), 'utf8')) as { scopes: string[] };
  descriptor.scopes = AGENT_TEST_SCOPES;
  const descriptorFile = path.join(tempDir('bosun-agent-descriptor-'), 'atlassian-connect.json');
  writeFileSync(descriptorFile, JSON.stringify(descriptor));

  const bosun = await startBosun({ descriptorFile });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sandboxUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const sandbox = createSandbox({ publicUrl: sandboxUrl, logger: quiet, webhookRetryDelaysMs: [50], pipelineStepMs: 20, asyncMergeMs: 20 });
  server.on('request', sandbox.app);
  const installation = await sandbox.install(`${bosun.url}/atlassian-connect.json`, { workspace: 'acme' });
  const tenant = await bosun.services.deps.tenants.getWithSecret(installation.clientKey);
  if (!tenant) throw new Error('Bosun did not store the tenant');
  const installationClient = bosun.services.deps.clients.forTenant(tenant);

  const clients: ClientResolver = {
    forInstallation: async () => installationClient,
    forUser: async (_clientKey, userUuid) => {
      const user = sandbox.state.users.find((u) => u.uuid === userUuid);
      if (!user) throw new Error(`no sandbox user ${userUuid}`);
      const { access_token: token } = sandbox.oauth.issueTokens({ userNickname: user.nickname, consumerKey: DEV_OAUTH_CONSUMER_KEY });
      return createBitbucketClient({ baseApiUrl: sandboxUrl, auth: { kind: 'bearer', getAccessToken: async () => token } });
    },
  };
  const autoMerges = createMemoryAutoMergeStore();
  const tools = createDefaultToolCatalog({ autoMerges });
  const executor = createExecutor({
    tools,
    clients,
    audit: createMemoryAuditStore(),
    executions: createMemoryExecutionStore(),
    logger: bosun.logger,
    now: () => new Date(),
    installationScopes: AGENT_TEST_SCOPES,
  });
  return {
    bosun,
    sandbox,
    clientKey: installation.clientKey,
    clients,
    installationClient,
    tools,
    autoMerges,
    executor,
    close: async () => {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bosun.close();
    },
  };
}
