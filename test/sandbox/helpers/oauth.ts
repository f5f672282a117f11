import { createHash, randomBytes } from 'node:crypto';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';
import { quietLogger } from './setup';

export const T0 = Date.parse('2026-06-01T10:00:00.000Z');

export interface OAuthHarness {
  sandbox: Sandbox;
  url: string;
  /** Moves the sandbox clock. */
  advance(seconds: number): void;
  nowSeconds(): number;
  close(): Promise<void>;
}

export async function startOAuthHarness(opts: Partial<SandboxOptions> = {}): Promise<OAuthHarness> {
  let clock = T0;
  const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger, now: () => new Date(clock), webhookRetryDelaysMs: [20], ...opts });
  const server = await sandbox.listen(0);
  return {
    sandbox,
    url: server.url,
    advance: (s) => { clock += s * 1000; },
    nowSeconds: () => Math.floor(clock / 1000),
    close: async () => {
      await sandbox.idle();
      await server.close();
    },
  };
}

export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Hidden inputs of the first POST form with the given action on an HTML page. */
export function readHiddenInputs(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form with action ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]!] = decodeEntities(m[2]!);
  return out;
}

export async function getConsentPage(url: string, params: Record<string, string>, user = 'alice'): Promise<{ status: number; html: string; location: string | null }> {
  const res = await fetch(`${url}/site/oauth2/authorize?${new URLSearchParams(params)}`, { headers: { cookie: `sandbox_user=${user}` }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** GET the consent page as `user`, POST its form with the decision, return the redirect target. */
export async function decide(url: string, params: Record<string, string>, decision: 'approve' | 'deny', user = 'alice'): Promise<URL> {
  const page = await getConsentPage(url, params, user);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${page.html.slice(0, 300)}`);
  const fields = readHiddenInputs(page.html, '/site/oauth2/authorize');
  const res = await fetch(`${url}/site/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sandbox_user=${user}` },
    body: new URLSearchParams({ ...fields, decision }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`consent POST answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function postToken(url: string, form: Record<string, string>, authorization?: string): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${url}/site/oauth2/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form),
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

export async function callApi(url: string, path: string, token: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
