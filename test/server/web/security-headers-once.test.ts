import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurityHeaders } from '../../../server/web/security-headers';

/** Option sets: helmet's defaults, and the app's own shape (CSP without defaults, HSTS, policies switched off). */
const optionSets: Record<string, HelmetOptions> = {
  defaults: {},
  app: {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ['https://bitbucket.org', 'https://*.bitbucket.org'] } },
    xFrameOptions: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  },
  noHsts: { strictTransportSecurity: false, referrerPolicy: { policy: ['origin', 'unsafe-url'] } },
};

describe('security headers worked out once: the same response headers as helmet per request', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    for (const [name, options] of Object.entries(optionSets)) {
      // A header set before helmet runs that helmet removes (X-Powered-By) must be gone either way.
      const poweredBy: express.RequestHandler = (_req, res, next) => {
        res.setHeader('X-Powered-By', 'Express');
        next();
      };
      app.get(`/helmet/${name}`, poweredBy, helmet(options), (_req, res) => res.status(204).end());
      app.get(`/once/${name}`, poweredBy, createSecurityHeaders(options), (_req, res) => res.status(204).end());
    }
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const headersOf = async (path: string): Promise<Record<string, string>> => {
    const res = await fetch(`${base}${path}`);
    const headers = Object.fromEntries(res.headers.entries());
    delete headers.date;
    return headers;
  };

  it.each(Object.keys(optionSets))('%s', async (name) => {
    const expected = await headersOf(`/helmet/${name}`);
    expect(expected['x-content-type-options']).toBe('nosniff');
    expect(expected).not.toHaveProperty('x-powered-by');
    expect(await headersOf(`/once/${name}`)).toEqual(expected);
  });

  it('refuses options with a function (a per-request value cannot be worked out once)', () => {
    expect(() =>
      createSecurityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", (_req, res) => `'nonce-${String((res as { locals?: { n?: string } }).locals?.n)}'`] } } }),
    ).toThrow(/contentSecurityPolicy\.directives\.scriptSrc\.1 is a function/);
  });
});
