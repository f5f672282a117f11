import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BITBUCKET_OPERATIONS, type BitbucketClient } from '../../../server/bitbucket';
import { createTestClient, jsonResponse } from './fake-bitbucket';

import { hasSpec, OPENAPI_PATH as SPEC_PATH } from '../../helpers/shared-samples';

function listClientOperations(client: BitbucketClient): string[] {
  return Object.entries(client).flatMap(([group, operations]) =>
    Object.entries(operations as Record<string, unknown>)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => `${group}.${name}`),
  );
}

describe('BITBUCKET_OPERATIONS', () => {
  it('names every function on a created client, and nothing else', () => {
    const { client } = createTestClient(() => jsonResponse(200, {}));
    const onClient = listClientOperations(client).sort();
    const inCatalog = BITBUCKET_OPERATIONS.map((op) => op.name).sort();
    expect(inCatalog).toEqual(onClient);
    expect(new Set(inCatalog).size).toBe(inCatalog.length);
  });

  it('uses only methods the client sends', () => {
    for (const op of BITBUCKET_OPERATIONS) expect(['GET', 'POST', 'PUT', 'DELETE']).toContain(op.method);
  });

  it('names paths and methods that exist in openapi.json', (context) => {
    if (!hasSpec) context.skip(`openapi.json not found at ${SPEC_PATH} (shared/ beside the checkout); spec check skipped`);
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const missing = BITBUCKET_OPERATIONS.flatMap((op) => [op, ...(op.also ?? [])].map((e) => ({ name: op.name, ...e })))
      .filter((e) => spec.paths[e.path]?.[e.method.toLowerCase()] === undefined)
      .map((e) => `${e.name}: ${e.method} ${e.path}`);
    expect(missing).toEqual([]);
  });
});
