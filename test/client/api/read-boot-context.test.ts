import { describe, expect, it } from 'vitest';
import { BootContextError } from '../../../client/api/boot-context-error';
import { readBootContext, type BootDocument } from '../../../client/api/read-boot-context';

const contextJson = JSON.stringify({
  page: 'repo-dashboard',
  repoUuid: '{r}',
  repoFullName: 'acme/web',
  prId: null,
  userUuid: '{u}',
  accountId: null,
  hostBaseUrl: 'http://localhost:4000',
});

/** A stand-in for document with just the two elements the page route injects. */
const createDocument = (token: string | null, json: string | null): BootDocument => ({
  querySelector: (selector) => {
    if (selector === 'meta[name="bosun-session"]' && token !== null) {
      return { getAttribute: (name) => (name === 'content' ? token : null), textContent: null };
    }
    if (selector === 'script#bosun-context' && json !== null) {
      return { getAttribute: () => null, textContent: json };
    }
    return null;
  },
});

describe('readBootContext', () => {
  it('reads the token and the context', () => {
    const boot = readBootContext(createDocument(' tok.en ', contextJson));
    expect(boot.token).toBe('tok.en');
    expect(boot.context.page).toBe('repo-dashboard');
    expect(boot.context.repoUuid).toBe('{r}');
  });

  it('fails when the session meta is missing or empty', () => {
    expect(() => readBootContext(createDocument(null, contextJson))).toThrow(BootContextError);
    expect(() => readBootContext(createDocument('  ', contextJson))).toThrow(/session token/);
  });

  it('fails when the context script is missing or empty', () => {
    expect(() => readBootContext(createDocument('t', null))).toThrow(/page context/);
    expect(() => readBootContext(createDocument('t', '   '))).toThrow(BootContextError);
  });

  it('fails when the context is malformed', () => {
    expect(() => readBootContext(createDocument('t', '{"page":"nope"}'))).toThrow(BootContextError);
  });
});
