import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger, PinoBacked } from '../log';

const hasPino = (logger: Logger): logger is Logger & PinoBacked => 'pino' in logger;

// Only what helps to follow a request; never bodies, never query strings (they may carry a jwt).
const toRequestFields = (req: { id?: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] });

/**
 * One line per request (pino-http) through the app's logger, so its level, stream and redaction
 * apply: the Authorization header, cookies and an iframe's `jwt` query parameter never reach it.
 * Errors are logged once, by the error handler; a 5xx line here is a warning, the rest debug.
 *
 * When debug is off, every line but the 5xx warning would be dropped anyway, yet pino-http still
 * builds a child logger and a redacted copy for each request: ~7% of the CPU of a webhook burst
 * (profiled in bench/concurrent-installs.ts). Then a listener on `finish` writes just that warning.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  if (!hasPino(logger)) return (_req, _res, next) => next();
  if (!logger.pino.isLevelEnabled('debug')) {
    const pino = logger.pino;
    return (req, res, next) => {
      const started = performance.now();
      res.once('finish', () => {
        if (res.statusCode < 500) return;
        pino.warn({ req: toRequestFields(req), res: { status: res.statusCode }, responseTime: Math.round(performance.now() - started) }, 'request completed');
      });
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
