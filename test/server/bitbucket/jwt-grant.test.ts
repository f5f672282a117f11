import { decodeSymmetric, SymmetricAlgorithm } from 'atlassian-jwt';
import { describe, expect, it } from 'vitest';
import { createJwtGrantTokenSource, UnauthorizedError } from '../../../server/bitbucket';

function setup(answers: Array<{ status: number; body: unknown }>) {
  let clock = 1_700_000_000_000;
  const calls: Array<{ url: string; auth: string; body: string }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({ url: String(input), auth: String((init?.headers as Record<string, string>).authorization), body: String(init?.body) });
    const answer = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  };
  const source = createJwtGrantTokenSource({ siteUrl: 'https://bitbucket.example', appKey: 'bosun', clientKey: 'ck', sharedSecret: 'secret-secret-secret', fetch, now: () => clock });
  return { source, calls, advance: (ms: number) => (clock += ms) };
}

describe('JWT grant token source', () => {
  it('signs the grant as the app, caches the token, shares one request among concurrent callers, and renews before expiry', async () => {
    const { source, calls, advance } = setup([
      { status: 200, body: { access_token: 't1', expires_in: 3600 } },
      { status: 200, body: { access_token: 't2', expires_in: 3600 } },
    ]);
    expect(await Promise.all([source(), source(), source()])).toEqual(['t1', 't1', 't1']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://bitbucket.example/site/oauth2/access_token');
    expect(calls[0]!.body).toBe('grant_type=urn%3Abitbucket%3Aoauth2%3Ajwt');
    const claims = decodeSymmetric(calls[0]!.auth.replace(/^JWT /, ''), 'secret-secret-secret', SymmetricAlgorithm.HS256) as { iss: string; sub: string };
    expect(claims).toMatchObject({ iss: 'bosun', sub: 'ck' });
    advance(3600_000 - 30_000);
    expect(await source()).toBe('t2');
    expect(calls).toHaveLength(2);
  });

  it('turns a refused grant into an UnauthorizedError, and tries again next time', async () => {
    const { source, calls } = setup([{ status: 401, body: { error: 'invalid_grant' } }, { status: 200, body: { access_token: 't', expires_in: 60 } }]);
    await expect(source()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await source()).toBe('t');
    expect(calls).toHaveLength(2);
  });
});
