import { expect } from 'vitest';
import { mintSessionToken, type PageName } from '../../server/connect';
import type { RunningStack } from './start-stack';

export function sandboxUser(stack: RunningStack, nickname: string) {
  const user = stack.sandbox.state.users.find((u) => u.nickname === nickname);
  if (!user) throw new Error(`no sandbox user ${nickname}`);
  return user;
}

/** A session as the Bosun page would mint it for this sandbox user. */
export function sessionFor(stack: RunningStack, nickname: string, page: PageName = 'personal-settings'): string {
  const user = sandboxUser(stack, nickname);
  return mintSessionToken(
    { clientKey: stack.installation.clientKey, installId: stack.installId, userUuid: user.uuid, accountId: user.accountId, page },
    stack.bosun.services.deps.sessionKey,
    Math.floor(Date.now() / 1000),
  );
}

export async function callApi(stack: RunningStack, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.bosun.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

/** Steps 1–2: Bosun hands out the start URL; opening it sets the browser cookie and redirects to Bitbucket. */
export async function beginConnect(stack: RunningStack, nickname: string): Promise<{ authorizeUrl: URL; cookie: string }> {
  const start = await callApi(stack, sessionFor(stack, nickname), 'POST', '/api/oauth/start', {});
  expect(start.status).toBe(200);
  const res = await fetch(start.json.url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^bosun_oauth_nonce=/);
  return { authorizeUrl: new URL(res.headers.get('location')!), cookie };
}

/** Step 3: the person consents (or not) on the sandbox's page; returns where Bitbucket sends them. */
export async function consent(authorizeUrl: URL, nickname: string, decision: 'approve' | 'deny' = 'approve'): Promise<URL> {
  const page = await fetch(authorizeUrl, { headers: { cookie: `sandbox_user=${nickname}` }, redirect: 'manual' });
  const html = await page.text();
  expect(page.status).toBe(200);
  const start = html.indexOf('method="post" action="/site/oauth2/authorize"');
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  const res = await fetch(new URL('/site/oauth2/authorize', authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sandbox_user=${nickname}` },
    body: new URLSearchParams({ ...fields, decision }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return new URL(res.headers.get('location')!);
}

/** Step 4: the browser lands on Bosun's callback, with the cookie it got in step 2. */
export async function finishConnect(callback: URL, cookie: string | null) {
  const res = await fetch(callback, { headers: cookie ? { cookie } : {} });
  return { status: res.status, html: await res.text() };
}

export async function connectUser(stack: RunningStack, nickname: string): Promise<void> {
  const { authorizeUrl, cookie } = await beginConnect(stack, nickname);
  const callback = await consent(authorizeUrl, nickname);
  const done = await finishConnect(callback, cookie);
  expect(done.status, done.html).toBe(200);
}
