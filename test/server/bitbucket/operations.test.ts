import { describe, expect, it } from 'vitest';
import { BITBUCKET_OPERATIONS } from '../../../server/bitbucket';
import { adminCases } from './cases-admin';
import { pullRequestCases } from './cases-pull-requests';
import { reportCases } from './cases-reports';
import { repositoryCases } from './cases-repository';
import { createTestClient, emptyResponse, jsonResponse } from './fake-bitbucket';
import type { OperationCase } from './operation-cases';

const cases: OperationCase[] = [...repositoryCases, ...pullRequestCases, ...adminCases, ...reportCases];

/** `{param}` in a spec template matches one encoded segment; `{path}` may span several. */
function toTemplateRegExp(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part === '{path}' ? '.+' : part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^/2\\.0${pattern}$`);
}

describe('every operation sends the spec request and parses a sample answer', () => {
  it.each(cases.map((c) => [c.title ? `${c.op} (${c.title})` : c.op, c] as const))('%s', async (_name, testCase) => {
    const { client, calls } = createTestClient(() => {
      const { status, json, text, headers = {} } = testCase.response;
      if (text !== undefined) return new Response(text, { status, headers: { 'Content-Type': 'text/plain', ...headers } });
      return json === undefined ? emptyResponse(status, headers) : jsonResponse(status, json, headers);
    });
    const result = await testCase.run(client);

    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    const url = new URL(call.url);
    expect(call.method).toBe(testCase.request.method);
    expect(url.pathname).toBe(testCase.request.path);
    expect([...url.searchParams]).toEqual(testCase.request.query ?? []);
    expect(call.body).toEqual(testCase.request.body);

    const entry = BITBUCKET_OPERATIONS.find((op) => op.name === testCase.op)!;
    expect(entry.method).toBe(call.method);
    expect(url.pathname).toMatch(toTemplateRegExp(entry.path));

    if (typeof testCase.expected === 'object' && testCase.expected !== null) expect(result).toMatchObject(testCase.expected);
    else expect(result).toBe(testCase.expected);
  });

  it('has a case for every operation in the catalog', () => {
    const tested = new Set(cases.map((c) => c.op));
    expect(BITBUCKET_OPERATIONS.map((op) => op.name).filter((name) => !tested.has(name))).toEqual([]);
  });
});
