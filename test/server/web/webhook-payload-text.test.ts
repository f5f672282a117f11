import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { signInbound } from '../../helpers/fake-host';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { FUZZ_USER, sendRaw, useWebhookSuite } from './fuzz-support';

const REPO = '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}';

describe.each(testDatabaseKinds())('a webhook delivery stores its data as the JSON text it arrived as (%s)', (kind) => {
  const suite = useWebhookSuite(kind);

  const deliver = async (body: Buffer, headers: Record<string, string> = {}) => {
    const requestUuid = randomUUID();
    const { bosun, agent, installation: a } = suite;
    const res = await sendRaw(bosun.url, agent, {
      method: 'POST',
      path: '/webhooks/bitbucket',
      headers: {
        'content-type': 'application/json',
        'x-request-uuid': requestUuid,
        authorization: `JWT ${signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'POST', url: '/webhooks/bitbucket' })}`,
        ...headers,
      },
      body,
    });
    expect(res.status, res.body).toBe(204);
    const rows = await bosun.services.db.sequelize.query<{ payload: string }>('SELECT payload FROM webhook_deliveries WHERE request_uuid = :requestUuid', {
      replacements: { requestUuid },
      type: QueryTypes.SELECT,
    });
    expect(rows).toHaveLength(1);
    return rows[0]!.payload;
  };

  const data = {
    actor: { type: 'user', uuid: FUZZ_USER },
    repository: { type: 'repository', uuid: REPO, full_name: 'acme/web' },
    pullrequest: { type: 'pullrequest', id: 2, title: 'Fix "quotes" \\ and {braces}', state: 'OPEN', source: { branch: { name: 'fix' } }, destination: { branch: { name: 'main' } } },
    approval: { user: { type: 'user', uuid: FUZZ_USER } },
  };

  it('keeps the received text of data, spacing, escapes and number spelling included, and it parses to data', async () => {
    const dataText = JSON.stringify(data, null, 2).replace('"id": 2', '"id": 2.0').replace('acme/web', 'acme\\/w\\u0065b');
    const stored = await deliver(Buffer.from(`{ "event" : "pullrequest:approved",\n "data" : ${dataText} }`));
    expect(stored).toBe(dataText);
    expect(JSON.parse(stored)).toEqual({ ...data, pullrequest: { ...data.pullrequest, id: 2 } });
  });

  it('stores JSON.stringify(data) when the text cannot be cut as exactly data: a repeated data member, or a body read by express.json', async () => {
    const first = { ...data, pullrequest: { ...data.pullrequest, id: 1 } };
    const repeated = await deliver(Buffer.from(`{"event":"pullrequest:approved","data":${JSON.stringify(first)},"data":${JSON.stringify(data, null, 1)}}`));
    expect(repeated).toBe(JSON.stringify(data));
    const gzipped = await deliver(gzipSync(Buffer.from(JSON.stringify({ event: 'pullrequest:approved', data }, null, 2))), { 'content-encoding': 'gzip' });
    expect(gzipped).toBe(JSON.stringify(data));
  });
});
