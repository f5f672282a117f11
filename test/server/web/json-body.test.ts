import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type ErrorRequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonBody } from '../../../server/web/json-body';
import { toMalformedRequest } from '../../../server/web/request-validation-error';

const LIMIT = 1024;

interface Answer { status: number; body: string }
/** body-parser marks a request it read (`req._body`); the lean reader does not. */
const readBy = new Map<string, string>();

describe('webhook JSON body reader: the same answers as express.json', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    const app = express();
    const echo: express.RequestHandler = (req, res) => {
      readBy.set(req.header('x-case') ?? '', (req as { _body?: boolean })._body === true ? 'body-parser' : 'lean');
      res.status(200).json({ body: req.body as unknown });
    };
    app.post('/lean', createJsonBody({ limitBytes: LIMIT }), echo);
    app.post('/full', express.json({ limit: LIMIT }), echo);
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      const malformed = toMalformedRequest(err);
      res.status(malformed?.status ?? 500).json({ code: malformed?.code ?? 'UNCLASSIFIED' });
    };
    app.use(onError);
    server = app.listen(0);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = (path: string, headers: Record<string, string>, chunks: Buffer[]): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
  const both = async (headers: Record<string, string>, chunks: Buffer[], name = 'unnamed') => {
    const lean = await post('/lean', { ...headers, 'x-case': name }, chunks);
    const full = await post('/full', headers, chunks);
    expect(lean).toEqual(full);
    return lean;
  };
  const sized = (body: Buffer, type = 'application/json') => ({ 'content-type': type, 'content-length': String(body.length) });
  const chunked = (type = 'application/json') => ({ 'content-type': type, 'transfer-encoding': 'chunked' });
  const payload = { event: 'pullrequest:approved', data: { repository: { uuid: '{r}' }, text: 'é ✓ 😀' } };
  const json = Buffer.from(JSON.stringify(payload));

  it('parses a plain UTF-8 body, sized or chunked (split inside a multi-byte character), with or without a charset', async () => {
    expect(JSON.parse((await both(sized(json), [json], 'sized')).body)).toEqual({ body: payload });
    expect(readBy.get('sized')).toBe('lean');
    const cut = json.indexOf(Buffer.from('😀')) + 2;
    expect(JSON.parse((await both(chunked(), [json.subarray(0, cut), json.subarray(cut)], 'chunked')).body)).toEqual({ body: payload });
    expect(readBy.get('chunked')).toBe('lean');
    expect(JSON.parse((await both(sized(json, 'application/json; charset=utf-8'), [json])).body)).toEqual({ body: payload });
    expect(JSON.parse((await both(sized(json, 'Application/JSON; charset="UTF-8"'), [json])).body)).toEqual({ body: payload });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]);
    expect(JSON.parse((await both(sized(bom), [bom])).body)).toEqual({ body: payload });
  });

  it('answers an empty body with {}, and refuses bad JSON and a non-object with 400 BODY_INVALID', async () => {
    expect(JSON.parse((await both(sized(Buffer.alloc(0)), [])).body)).toEqual({ body: {} });
    for (const text of ['{"event":', '"just a string"', '  42', 'null', 'nul']) {
      const body = Buffer.from(text);
      expect(await both(sized(body), [body])).toEqual({ status: 400, body: JSON.stringify({ code: 'BODY_INVALID' }) });
    }
    expect(JSON.parse((await both(sized(Buffer.from(' \n[1]')), [Buffer.from(' \n[1]')])).body)).toEqual({ body: [1] });
  });

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(LIMIT) }));
    const tooLarge = { status: 413, body: JSON.stringify({ code: 'BODY_TOO_LARGE' }) };
    expect(await both(sized(big), [big])).toEqual(tooLarge);
    expect(await both(chunked(), [big.subarray(0, 600), big.subarray(600)])).toEqual(tooLarge);
    const exact = Buffer.from(JSON.stringify({ pad: 'x'.repeat(LIMIT - 10) }));
    expect(exact.length).toBe(LIMIT);
    expect((await both(sized(exact), [exact])).status).toBe(200);
  });

  it('leaves other types, encodings and charsets to express.json', async () => {
    const gz = gzipSync(json);
    expect(JSON.parse((await both({ ...sized(gz), 'content-encoding': 'gzip' }, [gz], 'gzip')).body)).toEqual({ body: payload });
    expect(readBy.get('gzip')).toBe('body-parser');
    expect((await both({ ...sized(json), 'content-encoding': 'gzip' }, [json])).status).toBe(400);
    expect((await both(sized(json, 'application/json; charset=latin-9'), [json])).status).toBe(415);
    expect(JSON.parse((await both(sized(json, 'text/plain'), [json])).body)).toEqual({ body: {} });
  });
});
