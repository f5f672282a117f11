import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createServices } from './create-services';
import { createLogger } from './log';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const services = await createServices(config, logger);
  const worker = config.workerConcurrency > 0 ? services.automation.createWorker() : null;
  worker?.start();
  // Every instance ticks; the queue keeps one job per tenant and period.
  services.scheduler.start();
  const server = createApp(services.deps).listen(config.port, () => {
    logger.info('Bosun is listening', { port: config.port, baseUrl: config.baseUrl, descriptor: `${config.baseUrl}/atlassian-connect.json` });
  });
  const shutdown = () => {
    // Stop taking requests, let in-flight jobs finish (or go back to the queue), then close the database.
    server.close(() =>
      void (worker ? worker.stop({ graceMs: 10_000 }) : Promise.resolve())
        .then(() => services.close())
        .then(() => process.exit(0)),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`Bosun failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
