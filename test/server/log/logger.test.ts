import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { createRequestLogger } from '../../../server/web/request-logger';
import { waitFor } from '../../helpers/wait-for';

const collect = (level: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'debug') => {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line), now: () => new Date('2026-12-01T00:00:00.000Z') });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe('logger (pino)', () => {
  it('writes one JSON line per call with time, level label and msg; metadata and child bindings merged', () => {
    const { logger, parsed } = collect();
    logger.child({ deliveryId: 'd-1' }).info('Webhook stored', { event: 'pullrequest:created' });
    expect(parsed()).toEqual([{ time: '2026-12-01T00:00:00.000Z', level: 'info', msg: 'Webhook stored', deliveryId: 'd-1', event: 'pullrequest:created' }]);
  });

  it('never writes a secret, however deep, and reduces errors to name, message and code', () => {
    const { logger, lines, parsed } = collect();
    const err = Object.assign(new Error('token endpoint refused'), { code: 'OAUTH_GRANT_REFUSED', config: { headers: { Authorization: 'Bearer leak-1' } } });
    logger.error('Refresh failed', { clientKey: 'ck', sharedSecret: 'leak-2', nested: { accessToken: 'leak-3', list: [{ password: 'leak-4' }] }, err });
    logger.child({ apiKey: 'leak-5' }).warn('child');
    expect(lines.join('\n')).not.toMatch(/leak-/);
    const [first] = parsed();
    expect(first).toMatchObject({ clientKey: 'ck', sharedSecret: '[redacted]', err: { name: 'Error', message: 'token endpoint refused', code: 'OAUTH_GRANT_REFUSED' } });
  });

  it('drops lines under its level; silent writes nothing', () => {
    const warn = collect('warn');
    warn.logger.debug('no');
    warn.logger.info('no');
    warn.logger.warn('yes');
    expect(warn.parsed().map((l) => l.msg)).toEqual(['yes']);
    // Not even copied for redaction: the metadata of a dropped line is never read.
    let reads = 0;
    warn.logger.debug('no', {
      get deliveryId() {
        reads += 1;
        return 'd-1';
      },
    });
    expect(reads).toBe(0);
    const silent = collect('silent');
    silent.logger.error('no');
    expect(silent.lines).toEqual([]);
  });

  it('logs each request (pino-http) without its Authorization header, cookies or query string', async () => {
    const { logger, lines, parsed } = collect();
    const app = express();
    app.use(createRequestLogger(logger));
    app.get('/pages/pr-panel', (_req, res) => res.status(204).end());
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/pages/pr-panel?jwt=leak-jwt`, { headers: { authorization: 'JWT leak-auth', cookie: 'bosun=leak-cookie' } });
      expect(res.status).toBe(204);
      // pino-http writes when the response has finished, which may be just after the client has it.
      await waitFor(() => lines.length > 0, 'the request line');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(lines.join('\n')).not.toMatch(/leak-/);
    expect(parsed()).toEqual([expect.objectContaining({ level: 'debug', req: expect.objectContaining({ method: 'GET', path: '/pages/pr-panel' }), res: { status: 204 } })]);
  });
  it('with debug off, writes only the 5xx warning per request, still without Authorization, cookies or query string', async () => {
    const { logger, lines, parsed } = collect('info');
    const app = express();
    app.use(createRequestLogger(logger));
    app.get('/ok', (_req, res) => res.status(204).end());
    app.get('/broken', (_req, res) => res.status(503).end());
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const headers = { authorization: 'JWT leak-auth', cookie: 'bosun=leak-cookie' };
      expect((await fetch(`http://127.0.0.1:${port}/ok?jwt=leak-jwt`, { headers })).status).toBe(204);
      expect((await fetch(`http://127.0.0.1:${port}/broken?jwt=leak-jwt`, { headers })).status).toBe(503);
      await waitFor(() => lines.length > 0, 'the 5xx line');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(lines.join('\n')).not.toMatch(/leak-/);
    expect(parsed()).toEqual([expect.objectContaining({ level: 'warn', msg: 'request completed', req: expect.objectContaining({ method: 'GET', path: '/broken' }), res: { status: 503 } })]);
  });
});
