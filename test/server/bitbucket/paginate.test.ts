import { describe, expect, it } from 'vitest';
import { createTestClient, jsonResponse, type RecordedCall } from './fake-bitbucket';

/** Serves `total` branches in pages of 50, linking pages by absolute `next` URLs. */
function pagedBranches(total: number) {
  return (call: RecordedCall) => {
    const url = new URL(call.url);
    const page = Number(url.searchParams.get('page') ?? '1');
    const start = (page - 1) * 50;
    const values = Array.from({ length: Math.max(0, Math.min(50, total - start)) }, (_, i) => ({ name: `b${start + i}` }));
    const hasNext = start + 50 < total;
    return jsonResponse(200, {
      pagelen: 50,
      page,
      values,
      ...(hasNext ? { next: `https://api.bitbucket.org/2.0/repositories/acme/web/refs/branches?pagelen=50&page=${page + 1}` } : {}),
    });
  };
}

describe('pagination', () => {
  it('follows `next` across pages and stops at the default cap of 1,000 items', async () => {
    const { client, calls } = createTestClient(pagedBranches(1_234));
    const branches = await client.branches.list('acme', 'web');
    expect(branches).toHaveLength(1_000);
    expect(branches[999]!.name).toBe('b999');
    expect(calls).toHaveLength(20); // no 21st page fetched
    expect(new URL(calls[0]!.url).searchParams.get('pagelen')).toBe('50');
  });

  it('returns every item when the list is shorter than the cap', async () => {
    const { client, calls } = createTestClient(pagedBranches(1_234));
    const branches = await client.branches.list('acme', 'web', { max: 5_000 });
    expect(branches).toHaveLength(1_234);
    expect(calls).toHaveLength(25);
  });

  it('honours a small max without fetching further pages', async () => {
    const { client, calls, logs } = createTestClient(pagedBranches(1_234));
    const branches = await client.branches.list('acme', 'web', { max: 120 });
    expect(branches.map((b) => b.name).slice(-1)).toEqual(['b119']);
    expect(calls).toHaveLength(3);
    expect(logs.some((l) => l.message === 'bitbucket list capped')).toBe(true);
  });

  it('stops on a `next` link it has already followed', async () => {
    const { client, calls } = createTestClient(() =>
      jsonResponse(200, { values: [{ name: 'x' }], next: 'https://api.bitbucket.org/2.0/repositories/acme/web/refs/branches?page=2' }),
    );
    const branches = await client.branches.list('acme', 'web');
    expect(branches).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it('sends repeated state parameters for pull request lists', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(200, { values: [] }));
    await client.pullRequests.list('{ws}', '{repo}', { state: ['OPEN', 'MERGED'] });
    const url = new URL(calls[0]!.url);
    expect(url.pathname).toBe('/2.0/repositories/%7Bws%7D/%7Brepo%7D/pullrequests');
    expect(url.searchParams.getAll('state')).toEqual(['OPEN', 'MERGED']);
  });
});
