export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(msg: string, meta?: LogMeta): void;
  info(msg: string, meta?: LogMeta): void;
  warn(msg: string, meta?: LogMeta): void;
  error(msg: string, meta?: LogMeta): void;
  child(bindings: LogMeta): Logger;
}

const ORDER: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
/** Keys whose values never reach a log line, whatever the caller passes. */
const SECRET_KEY = /secret|token|password|authorization|jwt|cookie|key$/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && k !== 'clientKey' && k !== 'appKey' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level?: LogLevel | 'silent';
  write?: (line: string) => void;
  bindings?: LogMeta;
  now?: () => Date;
}

/** JSON-lines logger; every line passes through redact(). */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = opts.now ?? (() => new Date());
  const bindings = opts.bindings ?? {};
  const log = (lvl: LogLevel, msg: string, meta?: LogMeta) => {
    if (ORDER[lvl] < level) return;
    const body = redact({ ...bindings, ...meta }) as LogMeta;
    write(JSON.stringify({ time: now().toISOString(), level: lvl, msg, ...body }));
  };
  return {
    debug: (msg, meta) => log('debug', msg, meta),
    info: (msg, meta) => log('info', msg, meta),
    warn: (msg, meta) => log('warn', msg, meta),
    error: (msg, meta) => log('error', msg, meta),
    child: (more) => createLogger({ ...opts, bindings: { ...bindings, ...more } }),
  };
}
