import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookFastPath } from '../../../server/web/webhook-fast-path';
import { sendHttpError } from '../../../server/web/error-handler';
import { RequestValidationError } from '../../../server/web/request-validation-error';
import { createLogger } from '../../../server/log';
import type { HostRequest } from '../../../server/host';
import { sendRaw } from './fuzz-support';

/**
 * Which requests the fast path takes: exactly those the Express webhook route would read the same way.
 * A real server whose fallback answers 299 "express" stands in for the app.
 */
describe('webhook fast path: what it takes and what it leaves to Express', () => {
  const delivered: Array<{ req: HostRequest; body: unknown; text: string | undefined }> = [];
  let server: http.Server;
  let url: string;
  const agent = new http.Agent({ keepAlive: true });

  beforeAll(async () => {
    const fast = createWebhookFastPath({
      paths: ['/webhooks/bitbucket', '/hooks/:id', '/webhooks/other?x=1'],
      limitBytes: 64,
      deliver: async (req, body, text) => {
        delivered.push({ req, body, text });
        if ((body as { fail?: boolean }).fail) throw new RequestValidationError('refused by the handler');
      },
      applySecurityHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
      logRequest: (_req, res, next) => {
        res.setHeader('X-Logged', 'yes');
        next();
      },
      sendError: (err, req, res) => sendHttpError(err, req, res, createLogger({ level: 'silent' })),
    });
    server = http.createServer((req, res) => {
      if (fast(req, res)) return;
      req.resume();
      res.statusCode = 299;
      res.end('express');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const json = { 'content-type': 'application/json', authorization: 'JWT t', 'x-event-key': 'repo:push' };
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = json, method = 'POST') =>
    sendRaw(url, agent, { method, path, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });

  it('takes a plain JSON POST to a webhook path, with Express matching (case, one trailing slash), and answers 204 with the app headers', async () => {
    for (const path of ['/webhooks/bitbucket', '/WebHooks/BitBucket', '/webhooks/bitbucket/']) {
      const before = delivered.length;
      const res = await post(path, '{"event":"repo:push","data":{}}');
      expect(res.status, path).toBe(204);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-logged']).toBe('yes');
      expect(delivered).toHaveLength(before + 1);
      const last = delivered.at(-1)!;
      expect(last.body).toEqual({ event: 'repo:push', data: {} });
      expect(last.text).toBe('{"event":"repo:push","data":{}}');
      expect(last.req.method).toBe('POST');
      expect(last.req.originalUrl).toBe(path);
      expect(last.req.header('Authorization')).toBe('JWT t');
      expect(last.req.header('X-Event-Key')).toBe('repo:push');
      expect(last.req.header('x-missing')).toBeUndefined();
      expect(last.req.query).toEqual({});
    }
  });

  it('leaves to Express: other methods and paths, a query string, parameterised paths, gzip, another type or charset', async () => {
    const before = delivered.length;
    const cases: Array<[string, Promise<{ status: number; body: string }>]> = [
      ['GET', post('/webhooks/bitbucket', '', json, 'GET')],
      ['other path', post('/webhooks/bitbucketx', '{}')],
      ['two trailing slashes', post('/webhooks/bitbucket//', '{}')],
      ['query', post('/webhooks/bitbucket?jwt=abc', '{}')],
      ['param path', post('/hooks/:id', '{}')],
      ['path with a query in the descriptor', post('/webhooks/other', '{}')],
      ['gzip', post('/webhooks/bitbucket', gzipSync('{}'), { ...json, 'content-encoding': 'gzip' })],
      ['text/plain', post('/webhooks/bitbucket', '{}', { ...json, 'content-type': 'text/plain' })],
      ['latin1', post('/webhooks/bitbucket', '{}', { ...json, 'content-type': 'application/json; charset=iso-8859-1' })],
    ];
    for (const [name, answer] of cases) expect((await answer).status, name).toBe(299);
    expect(delivered).toHaveLength(before);
  });

  it("answers the body reader's and the handler's errors as the error handler does", async () => {
    const malformed = await post('/webhooks/bitbucket', '{"event":');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { message: expect.stringContaining('not valid JSON') } });
    expect(malformed.headers['cache-control']).toBe('no-store');
    expect(malformed.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(malformed.headers['x-content-type-options']).toBe('nosniff');
    const tooLarge = await post('/webhooks/bitbucket', JSON.stringify({ data: 'x'.repeat(100) }));
    expect(tooLarge.status).toBe(413);
    const refused = await post('/webhooks/bitbucket', '{"fail":true}');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { message: 'refused by the handler' } });
  });
});
