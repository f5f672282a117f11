import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger, PinoBacked } from '../log';

const hasPino = (logger: Logger): logger is Logger & PinoBacked => 'pino' in logger;

/**
 * One line per request (pino-http) through the app's logger, so its level, stream and redaction
 * apply: the Authorization header, cookies and an iframe's `jwt` query parameter never reach it.
 * Errors are logged once, by the error handler; a 5xx line here is a warning, the rest debug.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  if (!hasPino(logger)) return (_req, _res, next) => next();
  return pinoHttp({
    logger: logger.pino,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'debug'),
    // Only what helps to follow a request; never bodies, never query strings (they may carry a jwt).
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    wrapSerializers: false,
  });
}
