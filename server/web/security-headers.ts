import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's response headers for static options, worked out once: helmet itself runs a chain of a
 * dozen middlewares per request (a closure per request, one call per header), the same answer every
 * time when no directive is a function. Here helmet runs once at startup against a recorder, and
 * each request gets the recorded headers set and removed in the same order.
 *
 * Throws when an option is a function (a per-request nonce, say): those need helmet per request.
 */
export function createSecurityHeaders(options: HelmetOptions): RequestHandler {
  const apply = recordSecurityHeaders(options);
  return (_req, res, next) => {
    apply(res);
    next();
  };
}

/** The same headers as a function of the response alone (the webhook fast path answers without Express). */
export function recordSecurityHeaders(options: HelmetOptions): (res: ServerResponse) => void {
  assertStatic(options, 'options');
  const steps: Array<{ name: string; value: string | null }> = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a non-string value`);
      steps.push({ name, value });
      return recorder;
    },
    removeHeader(name: string) {
      steps.push({ name, value: null });
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be worked out once');
  return (res) => {
    for (const { name, value } of steps) {
      if (value === null) res.removeHeader(name);
      else res.setHeader(name, value);
    }
  };
}

function assertStatic(value: unknown, where: string): void {
  if (typeof value === 'function') throw new Error(`security headers: ${where} is a function; only static helmet options can be worked out once`);
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) assertStatic(inner, `${where}.${key}`);
}
