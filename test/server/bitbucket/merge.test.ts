import { describe, expect, it } from 'vitest';
import { ConflictError, ExternalHostError } from '../../../server/bitbucket';
import { createTestClient, emptyResponse, jsonResponse, pullRequestBody, type RecordedCall } from './fake-bitbucket';

const MERGE_URL = 'https://api.bitbucket.org/2.0/repositories/acme/web/pullrequests/12/merge';
const TASK_URL = 'https://api.bitbucket.org/2.0/repositories/acme/web/pullrequests/12/merge/task-status/task-1';
const isMerge = (call: RecordedCall) => call.method === 'POST' && call.url.startsWith(MERGE_URL);

describe('pullRequests.merge', () => {
  it('returns the merged PR on 200 and sends the merge parameters', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(200, pullRequestBody(12, 'MERGED')));
    const merged = await client.pullRequests.merge('acme', 'web', 12, { merge_strategy: 'squash', close_source_branch: true });
    expect(merged.state).toBe('MERGED');
    expect(calls[0]!.url).toBe(MERGE_URL);
    expect(calls[0]!.body).toEqual({ merge_strategy: 'squash', close_source_branch: true });
  });

  it('polls the task status after 202 + Location until SUCCESS', async () => {
    let polls = 0;
    const { client, calls, sleeps } = createTestClient((call) => {
      if (isMerge(call)) return emptyResponse(202, { Location: TASK_URL });
      polls += 1;
      return polls < 3
        ? jsonResponse(200, { task_status: 'PENDING', links: { self: { href: TASK_URL } } })
        : jsonResponse(200, { task_status: 'SUCCESS', merge_result: pullRequestBody(12, 'MERGED') });
    });
    const merged = await client.pullRequests.merge('acme', 'web', 12, {}, { async: true });
    expect(merged).toMatchObject({ id: 12, state: 'MERGED' });
    expect(calls[0]!.url).toBe(`${MERGE_URL}?async=true`);
    expect(calls.slice(1).map((c) => c.url)).toEqual([TASK_URL, TASK_URL, TASK_URL]);
    expect(sleeps).toEqual([1_000, 1_500, 2_250]);
  });

  it('gives up polling after maxPolls with an ExternalHostError', async () => {
    const { client, calls } = createTestClient((call) =>
      isMerge(call) ? emptyResponse(202, { Location: TASK_URL }) : jsonResponse(200, { task_status: 'PENDING' }),
    );
    const error = await client.pullRequests.merge('acme', 'web', 12, {}, { async: true, maxPolls: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalHostError);
    expect(error).toMatchObject({ reason: 'pending' });
    expect(calls).toHaveLength(5);
  });

  it('surfaces a failed merge task (409) as ConflictError', async () => {
    const { client } = createTestClient((call) =>
      isMerge(call)
        ? emptyResponse(202, { Location: TASK_URL })
        : jsonResponse(409, { type: 'error', error: { message: 'ref changed' } }),
    );
    await expect(client.pullRequests.merge('acme', 'web', 12, {}, { async: true })).rejects.toBeInstanceOf(ConflictError);
  });

  it('after a dropped merge response, re-reads the PR and returns it when already MERGED', async () => {
    const { client, calls } = createTestClient((call) => {
      if (isMerge(call)) throw new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
      return jsonResponse(200, pullRequestBody(12, 'MERGED'));
    });
    const merged = await client.pullRequests.merge('acme', 'web', 12);
    expect(merged.state).toBe('MERGED');
    expect(calls.filter(isMerge)).toHaveLength(1);
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('after a 555 timeout with the PR still OPEN, retries the merge exactly once', async () => {
    let merges = 0;
    const { client, calls } = createTestClient((call) => {
      if (isMerge(call)) {
        merges += 1;
        return merges === 1
          ? jsonResponse(555, { type: 'error', error: { message: 'Timed out' } })
          : jsonResponse(200, pullRequestBody(12, 'MERGED'));
      }
      return jsonResponse(200, pullRequestBody(12, 'OPEN'));
    });
    await expect(client.pullRequests.merge('acme', 'web', 12)).resolves.toMatchObject({ state: 'MERGED' });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('does not try a third time when the retry fails too', async () => {
    const { client, calls } = createTestClient((call) =>
      isMerge(call) ? jsonResponse(503, null) : jsonResponse(200, pullRequestBody(12, 'OPEN')),
    );
    await expect(client.pullRequests.merge('acme', 'web', 12)).rejects.toBeInstanceOf(ExternalHostError);
    expect(calls.filter(isMerge)).toHaveLength(2);
  });

  it('does not retry when the PR was declined meanwhile', async () => {
    const { client, calls } = createTestClient((call) =>
      isMerge(call) ? jsonResponse(503, null) : jsonResponse(200, pullRequestBody(12, 'DECLINED')),
    );
    await expect(client.pullRequests.merge('acme', 'web', 12)).rejects.toBeInstanceOf(ExternalHostError);
    expect(calls.filter(isMerge)).toHaveLength(1);
  });

  it('does not re-read on a 409 (a decision, not an outage)', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(409, { type: 'error', error: { message: 'conflict' } }));
    await expect(client.pullRequests.merge('acme', 'web', 12)).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toHaveLength(1);
  });
});
