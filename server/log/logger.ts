import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(msg: string, meta?: LogMeta): void;
  info(msg: string, meta?: LogMeta): void;
  warn(msg: string, meta?: LogMeta): void;
  error(msg: string, meta?: LogMeta): void;
  child(bindings: LogMeta): Logger;
}

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
  /** Where each JSON line goes (without its newline); stdout when left out. */
  write?: (line: string) => void;
  bindings?: LogMeta;
  now?: () => Date;
}

/** The pino instance behind a Logger, for pino-http (request logs) to share its level, stream and redaction. */
export interface PinoBacked {
  readonly pino: PinoLogger;
}

/**
 * JSON-lines logger on pino. Every object passes through redact() before pino sees it, and pino's
 * own redaction covers what pino-http adds (request headers), so no secret reaches a line.
 */
export function createLogger(opts: LoggerOptions = {}): Logger & PinoBacked {
  const now = opts.now ?? (() => new Date());
  const write = opts.write;
  const destination: DestinationStream = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : pino.destination({ dest: 1, sync: true });
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      // Errors were already reduced by redact() to name, message and code (no stack, no attached secrets).
      serializers: { err: (value: unknown) => value },
      // What pino-http logs: the request's credentials never reach a line.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.query.jwt'], censor: '[redacted]' },
    },
    destination,
  );
  return wrap(opts.bindings ? root.child(redact(opts.bindings) as LogMeta) : root);
}

function wrap(p: PinoLogger): Logger & PinoBacked {
  const at = (level: LogLevel) => (msg: string, meta?: LogMeta) => {
    // A line under the level is dropped before redact() copies its metadata (the webhook intake's
    // debug line per delivery, with debug off, used to pay for a redacted copy pino then threw away).
    if (!p.isLevelEnabled(level)) return;
    if (meta === undefined) p[level](msg);
    else p[level](redact(meta) as LogMeta, msg);
  };
  return {
    pino: p,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(p.child(redact(bindings) as LogMeta)),
  };
}
