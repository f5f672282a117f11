/**
 * Table-driven operation tests: each case names a catalog operation, calls it through a client
 * on the fake fetch, and states the exact request it must send and what the sample answer parses to.
 */
import type { BitbucketClient, BitbucketOperationName } from '../../../server/bitbucket';

export interface OperationCase {
  op: BitbucketOperationName;
  /** Distinguishes several cases for one operation. */
  title?: string;
  run: (client: BitbucketClient) => Promise<unknown>;
  request: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    /** Path below https://api.bitbucket.org, encoded as sent. */
    path: string;
    /** Query pairs in the order sent (lists start with pagelen=50). */
    query?: Array<[string, string]>;
    body?: unknown;
  };
  response: { status: number; json?: unknown; text?: string; headers?: Record<string, string> };
  /** Matched with toMatchObject (or toBe for strings/undefined). */
  expected: unknown;
}

export const LIST = [['pagelen', '50']] as Array<[string, string]>;

export const sampleAccount = {
  type: 'user',
  uuid: '{u-1}',
  account_id: '557058:aaaa',
  display_name: 'Ada',
  nickname: 'ada',
  links: { html: { href: 'https://bitbucket.org/%7Bu-1%7D/' }, avatar: { href: 'https://avatar/x.png' } },
  created_on: '2020-01-01T00:00:00Z',
};

export const sampleCommit = {
  type: 'commit',
  hash: '30c1b58a2341992fe6870756a8880d5006ddb18e',
  date: '2026-01-02T03:04:05+00:00',
  message: 'Fix the thing\n',
  author: { type: 'author', raw: 'Ada <ada@example.com>', user: sampleAccount },
  parents: [{ type: 'commit', hash: '1111111111111111111111111111111111111111' }],
  links: { html: { href: 'https://bitbucket.org/acme/web/commits/30c1b58a' } },
  summary: { raw: 'Fix the thing', markup: 'markdown' },
};
