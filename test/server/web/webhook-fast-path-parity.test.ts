import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signInbound } from '../../helpers/fake-host';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { countRows, FUZZ_USER, sendRaw, useWebhookSuite } from './fuzz-support';

const REPO = '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}';
// What differs between any two answers, whoever gives them.
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

/**
 * The webhook fast path answers exactly as the Express route does. The route still serves a delivery
 * whose URL has a query string (the fast path leaves those to Express), so each case is sent both ways,
 * signed for its own URL, and the two answers compared: status, body, every header but the date.
 */
describe.each(testDatabaseKinds())('webhook fast path: the same answers as the Express route (%s)', (kind) => {
  const suite = useWebhookSuite(kind);

  const data = {
    actor: { type: 'user', uuid: FUZZ_USER },
    repository: { type: 'repository', uuid: REPO, full_name: 'acme/web' },
    pullrequest: { type: 'pullrequest', id: 3, title: 'Parity', state: 'OPEN', source: { branch: { name: 'fix' } }, destination: { branch: { name: 'main' } } },
    approval: { user: { type: 'user', uuid: FUZZ_USER } },
  };
  const validBody = JSON.stringify({ event: 'pullrequest:approved', data });

  interface Case {
    body?: string;
    headers?: Record<string, string | null>;
    /** Signed with another secret, or not at all. */
    auth?: 'valid' | 'wrong-secret' | 'none';
  }

  const send = (path: string, c: Case, requestUuid: string) => {
    const a = suite.installation;
    const token = signInbound({ clientKey: a.clientKey, secret: c.auth === 'wrong-secret' ? 'not-the-secret-at-all-0123456789' : a.sharedSecret, method: 'POST', url: path });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-event-key': 'pullrequest:approved',
      'x-request-uuid': requestUuid,
      ...(c.auth === 'none' ? {} : { authorization: `JWT ${token}` }),
    };
    for (const [k, v] of Object.entries(c.headers ?? {})) {
      if (v === null) delete headers[k];
      else headers[k] = v;
    }
    return sendRaw(suite.bosun.url, suite.agent, { method: 'POST', path, headers, body: Buffer.from(c.body ?? validBody) });
  };

  const answerBothWays = async (c: Case) => {
    const fast = await send('/webhooks/bitbucket', c, randomUUID());
    const viaExpress = await send('/webhooks/bitbucket?via=express', c, randomUUID());
    const strip = (h: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !VOLATILE.has(k)));
    expect({ status: fast.status, body: fast.body, headers: strip(fast.headers) }).toEqual({ status: viaExpress.status, body: viaExpress.body, headers: strip(viaExpress.headers) });
    return fast;
  };

  it('a delivery: 204 with the same headers, stored once per way', async () => {
    const before = (await countRows(suite.bosun.services.db)).webhook_deliveries!;
    const res = await answerBothWays({});
    expect(res.status).toBe(204);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors');
    expect((await countRows(suite.bosun.services.db)).webhook_deliveries).toBe(before + 2);
  });

  it('refusals: no JWT, a JWT signed with another secret, malformed JSON, a body that is not {event, data}, a mismatched X-Event-Key, a malformed X-Request-UUID', async () => {
    const cases: Array<[number, Case]> = [
      [401, { auth: 'none' }],
      [401, { auth: 'wrong-secret' }],
      [400, { body: '{"event":"pullrequest:approved","data":' }],
      [400, { body: '[1,2]' }],
      [400, { headers: { 'x-event-key': 'repo:push' } }],
      [400, { headers: { 'x-request-uuid': 'bad uuid!' } }],
    ];
    for (const [status, c] of cases) {
      const res = await answerBothWays(c);
      expect(res.status, JSON.stringify(c)).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('a body over the limit: 413 both ways', async () => {
    const res = await answerBothWays({ body: JSON.stringify({ event: 'pullrequest:approved', data: { ...data, padding: 'x'.repeat(1024 * 1024) } }) });
    expect(res.status).toBe(413);
  });
});
