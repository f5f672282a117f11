/**
 * Bosun as deployed (what server/main.ts starts: createServices + createApp, the job worker and the
 * scheduler), on the database named by DATABASE_URL. The worker's claims and the scheduler's enqueues
 * take SQLite's write lock between the intake's batches, as they do in production.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createServices } from '../../server/create-services';
import { createLogger } from '../../server/log';

async function main(): Promise<void> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', BOSUN_BASE_URL: url, LOG_LEVEL: 'warn' });
  const services = await createServices(config, createLogger({ level: 'warn' }), { schema: process.env.BENCH_PG_SCHEMA || undefined });
  server.on('request', createApp(services.deps));
  if (config.workerConcurrency > 0) services.automation.createWorker().start();
  services.scheduler.start();
  process.stdout.write(`READY ${url}\n`);
  // Exit normally on a signal, so that profilers (--cpu-prof) write their output.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
}

void main();
