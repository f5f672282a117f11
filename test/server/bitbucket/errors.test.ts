import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  BitbucketError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  parseRetryAfter,
  ResponseShapeError,
  UnauthorizedError,
  UnexpectedStatusError,
} from '../../../server/bitbucket';
import { createTestClient, jsonResponse, pullRequestBody } from './fake-bitbucket';
import { hasRestSamples, readRestSample } from './rest-samples';

const sample = (name: string): unknown =>
  hasRestSamples ? readRestSample(name) : { type: 'error', error: { message: 'sample missing' } };

describe('error classification', () => {
  it('parses required and granted scopes from a 403', async () => {
    const { client } = createTestClient(() =>
      jsonResponse(403, {
        type: 'error',
        error: {
          message: 'Your credentials lack one or more required privilege scopes.',
          detail: { required: ['pullrequest:write'], granted: ['account', 'repository'] },
        },
      }),
    );
    const error = await client.pullRequests.approve('acme', 'web', 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({
      code: 'BITBUCKET_FORBIDDEN',
      status: 403,
      requiredScopes: ['pullrequest:write'],
      grantedScopes: ['account', 'repository'],
      method: 'POST',
      path: '/2.0/repositories/acme/web/pullrequests/3/approve',
    });
    expect((error as Error).message).toContain('pullrequest:write');
  });

  it('leaves scopes null on a 403 that is not about scopes', async () => {
    const { client } = createTestClient(() => jsonResponse(403, { type: 'error', error: { message: 'Forbidden' } }));
    await expect(client.repositories.get('acme', 'web')).rejects.toMatchObject({ requiredScopes: null, grantedScopes: null });
  });

  it('maps the captured 404 sample to NotFoundError with Bitbucket\'s message', async () => {
    const body = sample('error-404-repository--mcp-bitbucket.json');
    const { client } = createTestClient(() => jsonResponse(404, body));
    const error = await client.repositories.get('acme', 'gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(BitbucketError);
    if (hasRestSamples) expect((error as NotFoundError).bitbucketMessage).toMatch(/may not have access/);
  });

  it.each([
    [400, BadRequestError, 'BITBUCKET_BAD_REQUEST'],
    [401, UnauthorizedError, 'BITBUCKET_UNAUTHORIZED'],
    [409, ConflictError, 'BITBUCKET_CONFLICT'],
    [410, UnexpectedStatusError, 'BITBUCKET_UNEXPECTED_STATUS'],
  ] as const)('maps %i', async (status, type, code) => {
    const { client } = createTestClient(() => jsonResponse(status, sample('error-400-invalid-page--mcp-bitbucket.json')));
    const error = await client.repositories.get('acme', 'web').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, status });
  });

  it('tolerates a non-JSON error body', async () => {
    const { client } = createTestClient(() => new Response('<html>bad gateway</html>', { status: 404 }));
    await expect(client.repositories.get('acme', 'web')).rejects.toMatchObject({ code: 'BITBUCKET_NOT_FOUND', bitbucketMessage: null });
  });

  it('reports a schema mismatch with the issue path and without the body', async () => {
    const bad = { ...pullRequestBody(5), state: 'HALF_MERGED', title: 'secret-title-text' };
    const { client } = createTestClient(() => jsonResponse(200, bad));
    const error = await client.pullRequests.get('acme', 'web', 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    const shape = error as ResponseShapeError;
    expect(shape.issues.map((i) => i.path)).toEqual(['state']);
    expect(shape.message).toContain('state');
    expect(shape.message).not.toContain('HALF_MERGED');
    expect(shape.message).not.toContain('secret-title-text');
  });

  it('reports nested issue paths inside pages', async () => {
    const { client } = createTestClient(() => jsonResponse(200, { values: [{ name: 'ok' }, { name: 42 }] }));
    const error = await client.branches.list('acme', 'web').catch((e: unknown) => e);
    expect((error as ResponseShapeError).issues[0]!.path).toBe('values.1.name');
  });

  it('rejects a 2xx body that is not JSON', async () => {
    const { client } = createTestClient(() => new Response('not json', { status: 200 }));
    await expect(client.users.getCurrent()).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it('parses Retry-After seconds and dates, and null when absent or garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
