import { describe, expect, it } from 'vitest';
import { BootContextError } from '../../../client/api/boot-context-error';
import { parsePageContext } from '../../../client/api/parse-page-context';

const valid = {
  page: 'pr-panel',
  repoUuid: '{7f0e3c4a-0000-4000-8000-000000000001}',
  repoFullName: 'acme/web',
  prId: '1',
  userUuid: '{7f0e3c4a-0000-4000-8000-000000000002}',
  accountId: '557058:abcd',
  hostBaseUrl: 'http://localhost:4000',
};

describe('parsePageContext', () => {
  it('accepts the context the page route injects', () => {
    expect(parsePageContext(JSON.stringify(valid))).toEqual(valid);
  });

  it('keeps nulls, and turns missing or empty optional fields into null', () => {
    const context = parsePageContext(
      JSON.stringify({ page: 'admin-settings', repoUuid: null, prId: '', hostBaseUrl: 'https://bitbucket.org' }),
    );
    expect(context).toEqual({
      page: 'admin-settings',
      repoUuid: null,
      repoFullName: null,
      prId: null,
      userUuid: null,
      accountId: null,
      hostBaseUrl: 'https://bitbucket.org',
    });
  });

  it('accepts a numeric prId and keeps it a string', () => {
    expect(parsePageContext(JSON.stringify({ ...valid, prId: 42 })).prId).toBe('42');
  });

  it.each([
    ['not JSON', '{page:'],
    ['an array', '[]'],
    ['null', 'null'],
    ['an unknown page', JSON.stringify({ ...valid, page: 'admin' })],
    ['a missing hostBaseUrl', JSON.stringify({ ...valid, hostBaseUrl: undefined })],
    ['an empty hostBaseUrl', JSON.stringify({ ...valid, hostBaseUrl: '' })],
    ['a non-string repoUuid', JSON.stringify({ ...valid, repoUuid: { uuid: 'x' } })],
    ['a boolean accountId', JSON.stringify({ ...valid, accountId: true })],
  ])('rejects %s with a BootContextError', (_name, json) => {
    expect(() => parsePageContext(json)).toThrow(BootContextError);
  });
});
