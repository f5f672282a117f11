import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../sandbox/host/render-markdown';
import { type Harness, startHarness } from './helpers/setup';

describe('sandbox comment markdown', () => {
  it('renders what Bosun writes as Bitbucket does, and its hidden marker not at all', () => {
    const html = renderMarkdown('<!-- bosun:sticky:bosun -->\n✅ **Bosun** · `/bosun merge` requested by Ada\n\nMerged #1 into main.\n\n[Audit log](http://bosun.test/audit?x=1&y=2) · entry #4\n- one\n- _two_');
    expect(html).not.toContain('bosun:sticky');
    expect(html).not.toContain('&lt;!--');
    expect(html).toContain('<strong>Bosun</strong>');
    expect(html).toContain('<code>/bosun merge</code>');
    expect(html).toContain('<a href="http://bosun.test/audit?x=1&amp;y=2">Audit log</a>');
    expect(html).toContain('<ul><li>one</li><li><em>two</em></li></ul>');
    expect(html).toContain('<p>Merged #1 into main.</p>');
  });

  it('shows raw HTML as text and links only to safe places', () => {
    const html = renderMarkdown('<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n```\n<b>kept</b> **as is**\n```');
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<pre><code>&lt;b&gt;kept&lt;/b&gt; **as is**</code></pre>');
    expect(renderMarkdown('a <!-- one\nline two --> b')).toBe('<p>a  b</p>');
  });
});

describe('sandbox host details', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the PR page renders comments as markdown without the hidden marker', async () => {
    h.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'bob', '<!-- bosun:sticky:bosun -->\n✅ **Bosun** · done\n\n- first\n- second');
    const html = await (await fetch(`${h.url}/acme/web/pull-requests/1`)).text();
    expect(html).not.toContain('bosun:sticky');
    expect(html).toContain('<strong>Bosun</strong> · done');
    expect(html).toContain('<ul><li>first</li><li>second</li></ul>');
  });

  it('an unknown ?as= user is an error, not a sign-in as the admin', async () => {
    const res = await fetch(`${h.url}/acme/web/pull-requests/1?as=mallory`, { headers: { cookie: 'sandbox_user=bob' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('There is no sandbox user &quot;mallory&quot;');
    // The header still says who is signed in (bob, from the cookie), not alice.
    expect(html).toContain('Bob Builder');
    expect(html).not.toContain('data-testid="pr-approve"');
    const known = await fetch(`${h.url}/acme/web/pull-requests/1?as=carol`);
    expect(known.status).toBe(200);
    expect(known.headers.get('set-cookie')).toMatch(/sandbox_user=carol/);
    const consent = await fetch(`${h.url}/account/settings/app-authorizations?as=mallory`);
    expect(consent.status).toBe(400);
    expect(await consent.text()).toContain('There is no sandbox user &quot;mallory&quot;');
  });

  it('a build status added without a URL links to a place that exists: its own line on the PR page', async () => {
    const res = await fetch(`${h.url}/acme/web/pull-requests/1/status`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'sandbox_user=alice' },
      body: new URLSearchParams({ key: 'lint', state: 'FAILED', name: 'Lint' }).toString(),
    });
    expect(res.status).toBe(303);
    const status = h.sandbox.state.statuses.find((s) => s.key === 'lint')!;
    expect(status.url).not.toBe('');
    const target = new URL(status.url);
    expect(target.pathname).toBe('/acme/web/pull-requests/1');
    expect(target.hash).toBe('#build-lint');
    // The harness serves its public URL (sandbox.test) on a local port.
    const page = await fetch(`${h.url}${target.pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="build-lint"');
  });
});
