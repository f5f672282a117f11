import { z } from 'zod';
import { faultSpecSchema } from './faults/create-faults';
import { createSandbox } from './index';
import { createConsoleLogger } from './logger';

const envSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SANDBOX_HOST: z.string().min(1).default('0.0.0.0'),
  SANDBOX_PUBLIC_URL: z.url().optional(),
  SANDBOX_API_BASE_URL: z.url().optional(),
  SANDBOX_INSTALL_DESCRIPTOR_URL: z.url().optional(),
  /** JSON: one fault spec or an array (see sandbox/faults/create-faults.ts), e.g. [{"pathPattern":"/2.0/**","status":503,"times":2}] */
  SANDBOX_FAULTS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return [];
      try {
        const parsed = z.union([faultSpecSchema, z.array(faultSpecSchema)]).safeParse(JSON.parse(raw));
        if (parsed.success) return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
        ctx.addIssue({ code: 'custom', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      }
      return z.NEVER;
    }),
  SANDBOX_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(0).optional(),
  SANDBOX_PIPELINE_STEP_MS: z.coerce.number().int().min(0).optional(),
  /** small (default), large (500 repositories, 5,000 open pull requests) or none */
  SANDBOX_SEED: z.enum(['small', 'large', 'none']).default('small'),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`[sandbox] invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  const logger = createConsoleLogger();
  const publicUrl = env.SANDBOX_PUBLIC_URL ?? `http://localhost:${env.SANDBOX_PORT}`;
  const sandbox = createSandbox({
    publicUrl, apiBaseUrl: env.SANDBOX_API_BASE_URL, logger, seed: env.SANDBOX_SEED === 'large' ? 'large' : env.SANDBOX_SEED === 'small',
    faults: env.SANDBOX_FAULTS, rateLimitPerHour: env.SANDBOX_RATE_LIMIT_PER_HOUR, pipelineStepMs: env.SANDBOX_PIPELINE_STEP_MS,
  });
  const server = await sandbox.listen(env.SANDBOX_PORT, env.SANDBOX_HOST);
  console.log(`[sandbox] Bitbucket sandbox listening on ${server.url}, open ${publicUrl}/`);

  if (env.SANDBOX_INSTALL_DESCRIPTOR_URL) {
    const url = env.SANDBOX_INSTALL_DESCRIPTOR_URL;
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        const inst = await sandbox.install(url);
        console.log(`[sandbox] installed ${inst.key} into acme (clientKey ${inst.clientKey})`);
        break;
      } catch (err) {
        logger.warn('install at boot failed', { url, attempt, error: err instanceof Error ? err.message : String(err) });
        if (attempt === 10) logger.error('giving up installing the app at boot; install it from the home page', { url });
        else await new Promise((r) => setTimeout(r, 1500));
      }
    }
  }
  const stop = () => void sandbox.close().then(() => server.close()).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
