import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';

/** The OAuth window answers with the refusal's own status (errors carry it): 503 while no consumer is configured. */
describe('the OAuth window of a Bosun with no OAuth consumer', () => {
  let bosun: RunningBosun;
  beforeAll(async () => {
    bosun = await startBosun({ worker: false });
  });
  afterAll(async () => bosun.close());

  it('answers /oauth/start with 503 and the fix-it message, not a 400 about the link', async () => {
    expect(bosun.config.oauthConsumer).toBeNull();
    const res = await fetch(`${bosun.url}/oauth/start?ticket=anything`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('BITBUCKET_OAUTH_CLIENT_ID');
  });
});
