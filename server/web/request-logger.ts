import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger, PinoBacked } from '../log';

const hasPino = (logger: Logger): logger is Logger & PinoBacked => 'pino' in logger;

// Only what helps to follow a request; never bodies, never query strings (they may carry a jwt).
const toRequestFields = (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: (req.url ?? '').split('?')[0] });

const STARTED = Symbol('requestStarted');
type TimedResponse = ServerResponse & { [STARTED]?: number };

/**
 * One line per request (pino-http) through the app's logger, so its level, stream and redaction
 * apply: the Authorization header, cookies and an iframe's `jwt` query parameter never reach it.
 * Errors are logged once, by the error handler; a 5xx line here is a warning, the rest debug.
 *
 * When debug is off, every line but the 5xx warning would be dropped anyway, yet pino-http still
 * builds a child logger and a redacted copy for each request: ~7% of the CPU of a webhook burst
 * (profiled in bench/concurrent-installs.ts). Then a listener on `finish` writes just that warning.
 */
/** A middleware on Node's own request and response: Express mounts it, and the webhook fast path calls it. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function createRequestLogger(logger: Logger): NodeMiddleware {
  if (!hasPino(logger)) return (_req, _res, next) => next();
  if (!logger.pino.isLevelEnabled('debug')) {
    const pino = logger.pino;
    // One listener function for every response (no closure, no once-wrapper per request): the
    // response carries its request (res.req) and its start time.
    function onFinish(this: TimedResponse) {
      if (this.statusCode < 500) return;
      pino.warn({ req: toRequestFields(this.req), res: { status: this.statusCode }, responseTime: Math.round(performance.now() - (this[STARTED] ?? 0)) }, 'request completed');
    }
    return (_req, res, next) => {
      (res as TimedResponse)[STARTED] = performance.now();
      // 'finish' is emitted once per response.
      res.on('finish', onFinish);
      next();
    };
  }
  return pinoHttp({
    logger: logger.pino,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'debug'),
    serializers: {
      req: toRequestFields,
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    wrapSerializers: false,
  });
}
