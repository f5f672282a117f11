import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFake, newInstallation, signInbound, type FakeInstallation } from '../../helpers/fake-host';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { fakeBitbucketFetch, fakeClientDir } from './fuzz-support';

const frameAncestors = (res: Response) => /frame-ancestors ([^;]+)/.exec(res.headers.get('content-security-policy') ?? '')?.[1]?.trim() ?? null;

describe('CSP frame-ancestors names the host on every response', () => {
  let bosun: RunningBosun;
  let a: FakeInstallation;
  let host: string;

  beforeAll(async () => {
    bosun = await startBosun({ worker: false, clientDir: fakeClientDir(), fetch: fakeBitbucketFetch });
    a = newInstallation(bosun.services.deps.descriptor.key);
    await installFake(bosun.url, bosun.services.deps.descriptor.key, a);
    host = new URL(bosun.services.deps.site.siteUrl).origin;
  });
  afterAll(async () => bosun.close());

  it('pages, JSON, errors and text: the same ancestors (Bosun and the host), and nothing else may run where no page is', async () => {
    const pageUrl = '/pages/pr-panel?repoUuid=%7B6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f%7D&prId=7';
    const page = await fetch(`${bosun.url}${pageUrl}&jwt=${signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: pageUrl })}`);
    expect(page.status).toBe(200);
    const others = await Promise.all([
      fetch(`${bosun.url}/`),
      fetch(`${bosun.url}/healthz`),
      fetch(`${bosun.url}/api/audit`),
      fetch(`${bosun.url}${pageUrl}`),
      fetch(`${bosun.url}/nothing/here`),
    ]);
    for (const res of [page, ...others]) expect(frameAncestors(res), res.url).toBe(`'self' ${host}`);
    for (const res of others) expect(res.headers.get('content-security-policy'), res.url).toMatch(/default-src 'none'/);
  });

  it('the OAuth result window is a top-level window that nobody may frame', async () => {
    const res = await fetch(`${bosun.url}/oauth/callback?state=x`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(frameAncestors(res)).toBe("'none'");
  });
});
