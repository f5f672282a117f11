import { PermanentError } from '../errors';
import path from 'node:path';
import { z } from 'zod';

const DEFAULT_ALLOWED_HOSTS_PRODUCTION = ['bitbucket.org', 'api.bitbucket.org'];
const DEFAULT_ALLOWED_HOSTS_DEVELOPMENT = [...DEFAULT_ALLOWED_HOSTS_PRODUCTION, 'localhost', '127.0.0.1'];

const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
  .transform((value) => value.replace(/\/+$/, ''));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  BOSUN_BASE_URL: httpUrl.optional(),
  DATABASE_URL: z
    .string()
    .refine((value) => /^(sqlite:|postgres(ql)?:\/\/)/.test(value), 'must start with sqlite: or postgres://')
    .optional(),
  BOSUN_DATA_DIR: z.string().min(1).default('data'),
  BOSUN_APP_KEY: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore, at most 64')
    .optional(),
  BOSUN_ENCRYPTION_KEYS: z.string().optional(),
  BOSUN_ALLOWED_HOSTS: z.string().optional(),
  BITBUCKET_SITE_URL: httpUrl.optional(),
  BOSUN_LIFECYCLE_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(60),
  BOSUN_TRUST_PROXY: z.string().min(1).max(512).default('loopback, linklocal, uniquelocal'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  BITBUCKET_OAUTH_CLIENT_ID: z.string().min(1).max(256).optional(),
  BITBUCKET_OAUTH_CLIENT_SECRET: z.string().min(1).max(512).optional(),
  BOSUN_LLM_PROVIDER: z.enum(['openai', 'anthropic']).optional(),
  BOSUN_LLM_BASE_URL: httpUrl.optional(),
  BOSUN_LLM_API_KEY: z.string().min(1).max(512).optional(),
  BOSUN_LLM_MODEL: z.string().min(1).max(128).optional(),
  BOSUN_WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(4),
  BOSUN_JOB_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  BOSUN_EXECUTION_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  BOSUN_JOB_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  BOSUN_CI_REAP_AFTER_MS: z.coerce.number().int().min(60_000).max(30 * 24 * 3_600_000).default(24 * 3_600_000),
  BOSUN_INSTALLATION_AUTH: z.enum(['connect-jwt', 'jwt-grant']).default('connect-jwt'),
  BOSUN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(30),
  BOSUN_ADMIN_CHECK_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** The Forge app's id (manifest.yml `app.id`); unset: Bosun serves no Forge Remote calls. */
  BOSUN_FORGE_APP_ID: z.string().regex(/^ari:cloud:ecosystem::app\/[A-Za-z0-9-]{1,64}$/, 'must be the app id from manifest.yml (ari:cloud:ecosystem::app/…)').optional(),
  /** Where Forge publishes the keys that sign Forge Invocation Tokens (the sandbox serves its own). */
  BOSUN_FORGE_JWKS_URL: httpUrl.default('https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json'),
});

export interface EncryptionKeyConfig {
  id: string;
  key: Buffer;
}

export interface BosunConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  baseUrl: string;
  databaseUrl: string;
  dataDir: string;
  /** Overrides the descriptor's key (several Bosun instances in one sandbox). */
  appKey: string | null;
  /** Configured keys, newest first; empty means "use the key file under dataDir". */
  encryptionKeys: EncryptionKeyConfig[];
  /**
   * Hosts a tenant's baseUrl/baseApiUrl may point at (`host` or `host:port`; `*.example.com`);
   * anything else is refused at install. In production only https and the default port, unless an
   * entry names its port; outside production loopback hosts may use any port (the sandbox).
   */
  allowedHosts: string[];
  /**
   * Bitbucket's own site, from configuration and never from an installation: the OAuth token and
   * authorize endpoints (where the consumer secret goes) and the Connect host script live here.
   */
  bitbucket: { siteUrl: string; tokenUrl: string; authorizeUrl: string; hostScriptUrl: string };
  /** Unauthenticated lifecycle calls (installed/uninstalled) one source may make per minute; 0 = no limit. */
  lifecycleRatePerMinute: number;
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe when telling sources apart. */
  trustProxy: string | number | boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** The OAuth consumer users connect through; null disables "act as me". */
  oauthConsumer: { clientId: string; clientSecret: string } | null;
  /** Optional LLM planner for free-text requests; the deterministic planner always runs first. */
  llm: { kind: 'openai' | 'anthropic'; baseUrl: string; apiKey: string; model: string } | null;
  /** Jobs run at once by this process's worker; 0 runs no worker (a web-only instance). */
  workerConcurrency: number;
  /**
   * Job and execution leases: how long a job (an execution) stays with a process that stopped
   * renewing it before another takes it over, and the worker's pause between claims.
   */
  jobs: { leaseMs: number; executionLeaseMs: number; pollIntervalMs: number };
  /** CI results in: how long a status Bosun reported INPROGRESS may go without news before the reaper stops it. */
  ci: { reapAfterMs: number };
  /** How Bosun acts as an installation: a Connect JWT per request, or the JWT grant's cached token. */
  installationAuth: 'connect-jwt' | 'jwt-grant';
  /** State-changing API requests one person may make per minute (0: no limit); how long "is a workspace admin" is trusted. */
  web: { writesPerMinute: number; adminCheckTtlSeconds: number };
  /** The Forge host beside Connect: the app id (the FIT's audience) and the FIT signing keys; null: Connect only. */
  forge: { appId: string; jwksUrl: string } | null;
}

export class ConfigError extends PermanentError<'CONFIG_INVALID'> {
  constructor(readonly problems: string[]) {
    super('CONFIG_INVALID', 500, `Bosun cannot start, its configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses `BOSUN_ENCRYPTION_KEYS` = "id1:base64key,id2:base64key" (newest first, 32-byte keys). */
function parseEncryptionKeys(raw: string | undefined, problems: string[]): EncryptionKeyConfig[] {
  if (!raw) return [];
  const keys: EncryptionKeyConfig[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (!id || !/^[a-zA-Z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
      problems.push(
        'BOSUN_ENCRYPTION_KEYS: each entry must be "<id>:<base64 of 32 random bytes>" ' +
          '(make one with: node -e "console.log(\'k1:\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))")',
      );
      return [];
    }
    keys.push({ id, key });
  }
  return keys;
}

/** "true", "false", a hop count, or addresses/subnets/names Express knows (loopback, uniquelocal…). */
function toTrustProxy(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Reads the environment once at boot; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): BosunConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const encryptionKeys = parseEncryptionKeys(e.BOSUN_ENCRYPTION_KEYS, problems);
  if (e.NODE_ENV === 'production' && !e.BOSUN_BASE_URL) {
    problems.push('BOSUN_BASE_URL: required in production (the public https URL Bitbucket calls)');
  }
  if (e.NODE_ENV === 'production' && encryptionKeys.length === 0) {
    problems.push('BOSUN_ENCRYPTION_KEYS: required in production, so that the key is not a file beside the data');
  }
  if (Boolean(e.BITBUCKET_OAUTH_CLIENT_ID) !== Boolean(e.BITBUCKET_OAUTH_CLIENT_SECRET)) {
    problems.push('BITBUCKET_OAUTH_CLIENT_ID and BITBUCKET_OAUTH_CLIENT_SECRET: set both (the OAuth consumer\'s Key and Secret) or neither');
  }
  if (e.BOSUN_LLM_PROVIDER && (!e.BOSUN_LLM_API_KEY || !e.BOSUN_LLM_MODEL)) {
    problems.push('BOSUN_LLM_PROVIDER: also set BOSUN_LLM_API_KEY and BOSUN_LLM_MODEL (and BOSUN_LLM_BASE_URL for a compatible server)');
  }
  const siteUrl = e.BITBUCKET_SITE_URL ?? (e.NODE_ENV === 'production' ? 'https://bitbucket.org' : 'http://localhost:4000');
  if (e.NODE_ENV === 'production' && !siteUrl.startsWith('https://')) {
    problems.push('BITBUCKET_SITE_URL: must be https in production (the OAuth consumer secret is sent there)');
  }
  if (/@/.test(new URL(siteUrl).host) || new URL(siteUrl).username) {
    problems.push('BITBUCKET_SITE_URL: must not carry a user name or password');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(cwd, e.BOSUN_DATA_DIR);
  const allowedHosts = e.BOSUN_ALLOWED_HOSTS
    ? e.BOSUN_ALLOWED_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)
    : e.NODE_ENV === 'production'
      ? DEFAULT_ALLOWED_HOSTS_PRODUCTION
      : DEFAULT_ALLOWED_HOSTS_DEVELOPMENT;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    baseUrl: e.BOSUN_BASE_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'bosun.sqlite')}`,
    dataDir,
    appKey: e.BOSUN_APP_KEY ?? null,
    encryptionKeys,
    allowedHosts,
    bitbucket: {
      siteUrl,
      tokenUrl: `${siteUrl}/site/oauth2/access_token`,
      authorizeUrl: `${siteUrl}/site/oauth2/authorize`,
      hostScriptUrl: `${siteUrl}/atlassian-connect/all.js`,
    },
    lifecycleRatePerMinute: e.BOSUN_LIFECYCLE_RATE_LIMIT,
    trustProxy: toTrustProxy(e.BOSUN_TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    oauthConsumer:
      e.BITBUCKET_OAUTH_CLIENT_ID && e.BITBUCKET_OAUTH_CLIENT_SECRET
        ? { clientId: e.BITBUCKET_OAUTH_CLIENT_ID, clientSecret: e.BITBUCKET_OAUTH_CLIENT_SECRET }
        : null,
    llm:
      e.BOSUN_LLM_PROVIDER && e.BOSUN_LLM_API_KEY && e.BOSUN_LLM_MODEL
        ? {
            kind: e.BOSUN_LLM_PROVIDER,
            baseUrl: e.BOSUN_LLM_BASE_URL ?? (e.BOSUN_LLM_PROVIDER === 'openai' ? 'https://api.openai.com/v1' : 'https://api.anthropic.com'),
            apiKey: e.BOSUN_LLM_API_KEY,
            model: e.BOSUN_LLM_MODEL,
          }
        : null,
    workerConcurrency: e.BOSUN_WORKER_CONCURRENCY,
    jobs: { leaseMs: e.BOSUN_JOB_LEASE_MS, executionLeaseMs: e.BOSUN_EXECUTION_LEASE_MS, pollIntervalMs: e.BOSUN_JOB_POLL_MS },
    ci: { reapAfterMs: e.BOSUN_CI_REAP_AFTER_MS },
    installationAuth: e.BOSUN_INSTALLATION_AUTH,
    web: { writesPerMinute: e.BOSUN_RATE_LIMIT_PER_MINUTE, adminCheckTtlSeconds: e.BOSUN_ADMIN_CHECK_TTL_SECONDS },
    forge: e.BOSUN_FORGE_APP_ID ? { appId: e.BOSUN_FORGE_APP_ID, jwksUrl: e.BOSUN_FORGE_JWKS_URL } : null,
  };
}
