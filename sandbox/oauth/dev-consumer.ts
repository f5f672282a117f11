import type { OAuthConsumerInput } from './types';

/**
 * The built-in development consumer, seeded so that Bosun's `npm start` works with no configuration.
 * Development-only credentials: they are public by design.
 */
export const DEV_OAUTH_CONSUMER_KEY = 'bosun-dev-consumer';
export const DEV_OAUTH_CONSUMER_SECRET = 'bosun-dev-consumer-secret-for-local-development-only';
export const DEV_OAUTH_CALLBACK_URL = 'http://localhost:3000/oauth/callback';
/**
 * Exactly the permissions Bosun's admin settings tell an admin to tick on a consumer (server/auth
 * USER_OAUTH_SCOPES), so the consent screen asks for what the settings page lists, no more.
 */
export const DEV_OAUTH_SCOPES: readonly string[] = ['account', 'email', 'pullrequest:write', 'repository:write', 'pipeline:write'];

export function toDevConsumerInput(callbackUrl = DEV_OAUTH_CALLBACK_URL): OAuthConsumerInput {
  return {
    key: DEV_OAUTH_CONSUMER_KEY,
    secret: DEV_OAUTH_CONSUMER_SECRET,
    name: 'Bosun (development)',
    description: 'Built-in consumer of the Bitbucket sandbox for a local Bosun.',
    callbackUrl,
    scopes: [...DEV_OAUTH_SCOPES],
    private: false,
    ownerNickname: 'alice',
  };
}
