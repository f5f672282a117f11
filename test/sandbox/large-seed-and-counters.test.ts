import { afterEach, describe, expect, it } from 'vitest';
import { createLargeSeedData, createSandbox } from '../../sandbox';
import { ALL_SCOPES, type Harness, quietLogger, startHarness } from './helpers/setup';

describe('sandbox large seed', () => {
  it('builds 500 repositories and 5,000 open pull requests with statuses, the same every time', () => {
    const { state } = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger, seed: 'large' });
    const generated = state.repositories.filter((r) => r.slug.startsWith('repo-'));
    expect(generated).toHaveLength(500);
    const open = state.pullRequests.filter((p) => p.state === 'OPEN' && generated.some((r) => r.uuid === p.repoUuid));
    expect(open).toHaveLength(5000);
    const withStatus = new Set(state.statuses.map((s) => `${s.repoUuid}:${s.commitHash}`));
    expect(open.every((p) => withStatus.has(`${p.repoUuid}:${p.source.hash}`))).toBe(true);
    expect(new Set(state.statuses.map((s) => s.state))).toEqual(new Set(['SUCCESSFUL', 'INPROGRESS', 'FAILED', 'STOPPED']));
    // The small seed is still there.
    expect(state.repositories.map((r) => r.slug)).toEqual(expect.arrayContaining(['web', 'api', 'infra']));

    const again = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger, seed: 'large' }).state;
    expect(again.pullRequests.map((p) => `${p.repoUuid}#${p.id}@${p.source.hash}:${p.updatedOn}`)).toEqual(
      state.pullRequests.map((p) => `${p.repoUuid}#${p.id}@${p.source.hash}:${p.updatedOn}`),
    );
  });

  it('is sized by options', () => {
    const data = createLargeSeedData({ repositories: 3, openPullRequestsPerRepository: 2 });
    expect(data.repositories.filter((r) => r.slug.startsWith('repo-'))).toHaveLength(3);
    expect(data.pullRequests.filter((p) => p.repo.startsWith('repo-'))).toHaveLength(6);
  });
});

describe('sandbox request counters and hourly buckets', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('counts every authenticated /2.0 request per credential, including the ones answered 429', async () => {
    h = await startHarness({ sandbox: { rateLimitPerHour: 2 } });
    const credential = `app:${h.inst.clientKey}`;
    expect((await h.api('GET', '/2.0/repositories/acme/web')).status).toBe(200);
    expect((await h.api('GET', '/2.0/workspaces/acme')).status).toBe(200);
    expect((await h.api('GET', '/2.0/repositories/acme/api')).status).toBe(200);
    expect((await h.api('GET', '/2.0/repositories/acme/infra')).status).toBe(429);
    expect(h.sandbox.requests.get(credential)).toEqual({ credential, total: 4, repositories: 3, limited: 1 });
    expect(h.sandbox.requests.total()).toBe(4);
    h.sandbox.requests.reset();
    expect(h.sandbox.requests.get(credential).total).toBe(0);
  });

  it('limits webhook management in its own hourly bucket with 429 and Retry-After', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES }, sandbox: { rateLimitPerHour: 100, webhooksRateLimitPerHour: 1 } });
    expect((await h.api('GET', '/2.0/repositories/acme/web/hooks')).status).toBe(200);
    const limited = await h.api('GET', '/2.0/repositories/acme/web/hooks');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
    // Repository data has budget left.
    expect((await h.api('GET', '/2.0/repositories/acme/web')).status).toBe(200);
  });
});
