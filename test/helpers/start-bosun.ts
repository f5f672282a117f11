import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/app';
import { loadConfig, type BosunConfig } from '../../server/config';
import { createServices, type Services, type ServiceOverrides } from '../../server/create-services';
import type { Worker } from '../../server/jobs';
import { createLogger, type Logger } from '../../server/log';
import { createTestDatabase, tempDir, type TestDatabase } from './test-databases';

export interface RunningBosun {
  url: string;
  config: BosunConfig;
  services: Services;
  logLines: string[];
  logger: Logger;
  database: TestDatabase;
  dataDir: string;
  worker: Worker | null;
  close(): Promise<void>;
}

export interface StartBosunOptions extends ServiceOverrides {
  /** Run a job worker in this Bosun (default true). */
  worker?: boolean;
  database?: 'sqlite' | 'postgres';
  env?: Record<string, string>;
  appKey?: string;
}

/** A real Bosun on a real port, with a fresh database and data directory. */
export async function startBosun(opts: StartBosunOptions = {}): Promise<RunningBosun> {
  const database = await createTestDatabase(opts.database ?? 'sqlite');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const dataDir = tempDir('bosun-data-');
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    BOSUN_BASE_URL: url,
    DATABASE_URL: database.url,
    BOSUN_DATA_DIR: dataDir,
    BOSUN_APP_KEY: opts.appKey ?? `bosun-test-${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  const services = await createServices(config, logger, { ...opts, schema: database.schema });
  server.on('request', createApp(services.deps));
  const worker = opts.worker === false ? null : services.automation.createWorker();
  worker?.start();
  return {
    url,
    config,
    services,
    logLines,
    logger,
    database,
    dataDir,
    worker,
    close: async () => {
      await worker?.stop({ graceMs: 2000 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      await database.cleanup();
    },
  };
}

/** Bosun's id for an installation (sessions are bound to it, so tests mint sessions with it). */
export async function installIdOf(bosun: RunningBosun, clientKey: string): Promise<string> {
  const tenant = await bosun.services.deps.tenants.get(clientKey);
  if (!tenant) throw new Error(`no installation ${clientKey}`);
  return tenant.installId;
}
