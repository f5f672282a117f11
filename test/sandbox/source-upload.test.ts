import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_OAUTH_CONSUMER_KEY } from '../../sandbox';
import { ALL_SCOPES, type Harness, startHarness } from './helpers/setup';

const SRC = '/2.0/repositories/acme/web/src';

describe('sandbox POST …/src (a commit from uploaded files)', () => {
  let h: Harness;
  let alice: string;
  let erin: string;
  beforeAll(async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES, modules: { webhooks: [{ event: 'repo:push', url: '/webhook' }] } } });
    alice = h.sandbox.oauth.issueTokens({ userNickname: 'alice', consumerKey: DEV_OAUTH_CONSUMER_KEY }).access_token;
    erin = h.sandbox.oauth.issueTokens({ userNickname: 'erin', consumerKey: DEV_OAUTH_CONSUMER_KEY }).access_token;
  });
  afterAll(async () => h.close());

  const post = (body: URLSearchParams | FormData, token = alice, path = SRC) => fetch(`${h.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body, redirect: 'manual' });
  const head = (branch: string) => h.sandbox.state.branches.find((b) => b.name === branch && b.repoUuid === h.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid)?.target;
  const read = async (ref: string, path: string) => {
    const res = await h.asUser(alice, 'GET', `${SRC}/${ref}/${path}`);
    return { status: res.status, text: res.text };
  };

  it('x-www-form-urlencoded: a new commit on the main branch, 201 with the commit in Location, the file readable at that commit', async () => {
    const before = head('main')!;
    const res = await post(new URLSearchParams({ '/docs/guide.md': '# Guide\n', message: 'Add the guide', message_: 'x' }));
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    const hash = head('main')!;
    expect(hash).not.toBe(before);
    expect(res.headers.get('location')).toBe(`http://sandbox.test/2.0/repositories/acme/web/commit/${hash}`);
    expect(await read(hash, 'docs/guide.md')).toEqual({ status: 200, text: '# Guide\n' });
    // A field that is not meta data names a file, even without a leading slash; the rest carries over.
    expect(await read(hash, 'message_')).toEqual({ status: 200, text: 'x' });
    expect((await read(hash, 'README.md')).status).toBe(200);
    const commit = await h.asUser(alice, 'GET', `/2.0/repositories/acme/web/commit/${hash}`);
    expect(commit.json).toMatchObject({ message: 'Add the guide\n', parents: [{ hash: before }], author: { user: { nickname: 'alice' } } });
    await h.sandbox.idle();
    const pushes = h.app.received.filter((r) => r.path === '/webhook').map((r) => (r.body.data as any).push.changes[0]);
    expect(pushes.at(-1)).toMatchObject({ new: { name: 'main', target: { hash } }, old: { target: { hash: before } } });
  });

  it('multipart/form-data: a field with a filename is a file whatever its name; files= deletes a path sent without content', async () => {
    const form = new FormData();
    form.append('message', new Blob(['# File called message\n']), 'message');
    form.append('/message', 'Not the commit message: a leading slash names a file');
    form.append('files', 'docs/guide.md');
    form.append('message', 'Replace the guide');
    const res = await post(form);
    expect(res.status).toBe(201);
    const hash = head('main')!;
    expect((await read(hash, 'docs/guide.md')).status).toBe(404);
    expect((await read(hash, 'message')).text).toBe('Not the commit message: a leading slash names a file');
    expect((await h.asUser(alice, 'GET', `/2.0/repositories/acme/web/commit/${hash}`)).json.message).toBe('Replace the guide\n');
  });

  it('branch: a new one starts from the main head without moving main; parents must be the head (409 otherwise)', async () => {
    const main = head('main')!;
    const res = await post(new URLSearchParams({ 'NOTES.md': 'draft\n', branch: 'docs/draft', message: 'Draft' }));
    expect(res.status).toBe(201);
    expect(head('main')).toBe(main);
    const draft = head('docs/draft')!;
    expect((await h.asUser(alice, 'GET', `/2.0/repositories/acme/web/commit/${draft}`)).json.parents).toEqual([expect.objectContaining({ hash: main })]);
    expect((await read(draft, 'NOTES.md')).text).toBe('draft\n');
    expect((await read(main, 'NOTES.md')).status).toBe(404);
    const stale = await post(new URLSearchParams({ 'NOTES.md': 'again\n', parents: main, branch: 'docs/draft' }));
    expect(stale.status).toBe(409);
    expect(head('docs/draft')).toBe(draft);
    const twice = await post(new URLSearchParams([['NOTES.md', 'x'], ['branch', 'a'], ['branch', 'b']]));
    expect(twice.status).toBe(400);
    expect((await twice.json()).error.message).toBe('The branch field cannot be repeated.');
  });

  it('refuses a JSON body, a read-only member (403) and an unknown repository (404)', async () => {
    const json = await h.asUser(alice, 'POST', SRC, { 'README.md': 'x' });
    expect(json.status).toBe(400);
    expect((await post(new URLSearchParams({ 'README.md': 'x' }), erin)).status).toBe(403);
    expect((await post(new URLSearchParams({ 'README.md': 'x' }), alice, '/2.0/repositories/acme/nope/src')).status).toBe(404);
  });
});
