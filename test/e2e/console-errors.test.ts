import type { ConsoleMessage, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

interface Noise {
  page: string;
  what: string;
}

/** Every console error or warning, uncaught exception and failed or 4xx/5xx request while `page` shows `url`. */
async function collectNoise(page: Page, url: string, ready: () => Promise<void>): Promise<Noise[]> {
  const noise: Noise[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') noise.push({ page: url, what: `console.${message.type()}: ${message.text()} (${message.location().url})` });
  };
  const onPageError = (error: Error) => noise.push({ page: url, what: `uncaught: ${error.message}` });
  const onResponse = (response: { status(): number; url(): string }) => {
    if (response.status() >= 400) noise.push({ page: url, what: `HTTP ${response.status()} ${response.url()}` });
  };
  const onFailed = (request: { url(): string; failure(): { errorText: string } | null }) => {
    noise.push({ page: url, what: `request failed: ${request.url()} ${request.failure()?.errorText ?? ''}` });
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  try {
    await page.goto(url);
    await ready();
    // The favicon and late console output of the iframes arrive after load: wait for the network to settle.
    await page.waitForLoadState('networkidle');
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
  }
  return noise;
}

describe('no console errors on any page (issue 16, item 5)', () => {
  const env = useBrowserStack({ oauth: {} });

  it('every Bosun page, and the sandbox pages around it, load without a console error or warning, a failed request or a missing favicon', async () => {
    const { sandboxUrl, installation } = env.stack;
    const frame = (key: string) => env.page.frameLocator(`[data-testid="connect-iframe-${key}"]`);
    const pages: Array<{ url: string; ready: () => Promise<void> }> = [
      { url: `${sandboxUrl}/?as=alice`, ready: async () => env.page.getByTestId('open-prs').waitFor() },
      { url: `${sandboxUrl}/acme/web`, ready: async () => env.page.locator('nav.repo-nav').waitFor() },
      { url: `${sandboxUrl}/acme/web/pull-requests`, ready: async () => env.page.getByTestId('pr-list').waitFor() },
      { url: `${sandboxUrl}/acme/workspace/settings`, ready: async () => env.page.getByTestId(`installed-app-${installation.key}`).waitFor() },
      { url: `${sandboxUrl}/acme/web/pull-requests/1`, ready: async () => frame('bosun-pr-panel').getByTestId('ask-bosun').waitFor({ timeout: 15_000 }) },
      { url: `${sandboxUrl}/acme/web/addon/${installation.key}/bosun-repo-dashboard`, ready: async () => frame('bosun-repo-dashboard').locator('[data-testid="repo-dashboard"]').waitFor({ timeout: 15_000 }) },
      {
        url: `${sandboxUrl}/acme/workspace/settings/addon/${installation.key}/bosun-admin-settings`,
        ready: async () => frame('bosun-admin-settings').locator('[data-testid="admin-settings"]').waitFor({ timeout: 15_000 }),
      },
      { url: `${sandboxUrl}/account/settings/addon/${installation.key}/bosun-personal-settings`, ready: async () => frame('bosun-personal-settings').locator('[data-testid="personal-settings"]').waitFor({ timeout: 15_000 }) },
    ];
    const noise: Noise[] = [];
    for (const { url, ready } of pages) noise.push(...(await collectNoise(env.page, url, ready)));
    expect(noise).toEqual([]);
  });
});

describe("Bosun's own top-level pages (OAuth result)", () => {
  const env = useBrowserStack({ oauth: {} });

  it('show no console error or warning and request no missing favicon, even when they answer a refusal', async () => {
    const url = `${env.stack.bosun.url}/oauth/callback?error=access_denied&state=nothing`;
    const noise: string[] = [];
    env.page.on('console', (m) => {
      // Chromium reports the document's own 4xx as "Failed to load resource" at the document's URL.
      if (m.location().url === url && m.text().startsWith('Failed to load resource')) return;
      if (m.type() === 'error' || m.type() === 'warning') noise.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
    });
    // The page itself answers a refusal with a 4xx on purpose; anything else it loads must succeed.
    env.page.on('response', (r) => {
      if (r.status() >= 400 && r.url() !== url) noise.push(`HTTP ${r.status()} ${r.url()}`);
    });
    env.page.on('requestfailed', (r) => noise.push(`request failed: ${r.url()}`));
    const response = await env.page.goto(url);
    expect(response?.status()).toBeGreaterThanOrEqual(400);
    await env.page.getByTestId('oauth-result').waitFor();
    await env.page.waitForLoadState('networkidle');
    expect(noise).toEqual([]);
  });
});
