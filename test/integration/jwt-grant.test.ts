import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { sessionFor, callApi } from '../helpers/oauth-dance';

describe('acting as the installation with the urn:bitbucket:oauth2:jwt grant', () => {
  let stack: RunningStack;
  let tokenRequests = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    if (String(input).endsWith('/site/oauth2/access_token')) tokenRequests += 1;
    return fetch(input, init);
  };
  beforeAll(async () => {
    stack = await startStack({ env: { BOSUN_INSTALLATION_AUTH: 'jwt-grant' }, fetch: countingFetch });
  });
  afterAll(async () => stack.close());

  it('trades the app JWT for a token once and reuses it across requests and clients', async () => {
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    for (let i = 0; i < 3; i++) {
      const panel = await callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web.uuid)}&prId=1`);
      expect(panel.status, JSON.stringify(panel.json)).toBe(200);
      expect(panel.json.statuses.length).toBeGreaterThan(0);
    }
    expect(tokenRequests).toBe(1);
    // Nobody connected a personal account here: the one access token Bitbucket holds is the installation's.
    expect(stack.sandbox.oauth.state.accessTokens).toHaveLength(1);
  });

  it('stops working once Bosun is uninstalled (the token dies with the installation)', async () => {
    await stack.sandbox.uninstall(stack.installation.clientKey);
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const panel = await callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web.uuid)}&prId=1`);
    expect(panel.status).toBe(401);
  });
});
