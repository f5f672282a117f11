import { createHash, randomBytes } from 'node:crypto';
import { decodeSymmetric, encodeSymmetric, SymmetricAlgorithm } from 'atlassian-jwt';
import { z } from 'zod';
import type { Logger } from '../log';
import type { Tenant } from '../host';
import type { OAuthStateStore } from './oauth-state-store';
import { AccountAlreadyLinkedError } from './user-connection-store';
import { OAuthFlowError, OAuthGrantError } from './errors';
import type { OAuthConsumer, OAuthTokenClient } from './oauth-token-client';
import type { SecretBox } from './secret-box';
import type { BitbucketProfile, TokenVault } from './token-vault';

const STATE_TTL_MS = 10 * 60 * 1000;
const TICKET_TTL_SECONDS = 120;

const ticketSchema = z.object({ typ: z.literal('bosun-oauth-start'), sub: z.string(), uid: z.string(), exp: z.number() });

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const verifierContext = (stateHash: string) => `oauth_states:${stateHash}:code_verifier`;

export interface OAuthFlowDeps {
  consumer: OAuthConsumer | null;
  tokens: OAuthTokenClient | null;
  states: OAuthStateStore;
  vault: TokenVault;
  box: SecretBox;
  /** Signs start tickets; Bosun's own key, never a tenant's. */
  ticketKey: Buffer;
  /** Bosun's public URL; the callback is `${baseUrl}/oauth/callback`. */
  baseUrl: string;
  /** Bitbucket's authorize endpoint, from configuration (never from an installation). */
  authorizeUrl: string;
  loadTenant: (clientKey: string) => Promise<Tenant | null>;
  /** Reads /2.0/user and /2.0/user/emails with the new token. */
  fetchProfile: (tenant: Tenant, accessToken: string) => Promise<BitbucketProfile>;
  now: () => Date;
  logger: Logger;
}

export interface OAuthFlow {
  callbackUrl: string;
  isConfigured(): boolean;
  /** A short-lived ticket the iframe hands to a top-level window, which can hold a first-party cookie. */
  createStartTicket(viewer: { clientKey: string; userUuid: string }): string;
  /** Verifies the ticket, stores a single-use state bound to tenant, user and this browser. */
  begin(ticket: string): Promise<{ authorizeUrl: string; browserNonce: string }>;
  /** Consumes the state, checks the browser, exchanges the code and stores the connection. */
  complete(params: { code?: string; state?: string; error?: string; browserNonce?: string }): Promise<{ tenant: Tenant; profile: BitbucketProfile }>;
}

export function createOAuthFlow(deps: OAuthFlowDeps): OAuthFlow {
  const callbackUrl = `${deps.baseUrl}/oauth/callback`;
  const nowSeconds = () => Math.floor(deps.now().getTime() / 1000);
  const requireConsumer = () => {
    if (!deps.consumer || !deps.tokens) {
      throw new OAuthFlowError(
        'OAUTH_NOT_CONFIGURED',
        'No Bitbucket OAuth consumer is configured: set BITBUCKET_OAUTH_CLIENT_ID and BITBUCKET_OAUTH_CLIENT_SECRET (see admin settings for the callback URL)',
      );
    }
    return { consumer: deps.consumer, tokens: deps.tokens };
  };

  return {
    callbackUrl,
    isConfigured: () => deps.consumer !== null,
    createStartTicket(viewer) {
      return encodeSymmetric(
        { typ: 'bosun-oauth-start', sub: viewer.clientKey, uid: viewer.userUuid, iat: nowSeconds(), exp: nowSeconds() + TICKET_TTL_SECONDS },
        deps.ticketKey.toString('base64'),
        SymmetricAlgorithm.HS256,
      );
    },
    async begin(ticket) {
      const { consumer } = requireConsumer();
      let claims: z.infer<typeof ticketSchema>;
      try {
        claims = ticketSchema.parse(decodeSymmetric(ticket, deps.ticketKey.toString('base64'), SymmetricAlgorithm.HS256, false));
      } catch {
        throw new OAuthFlowError('OAUTH_TICKET_INVALID', 'This connect link is not valid; start again from Bosun');
      }
      if (claims.exp <= nowSeconds()) throw new OAuthFlowError('OAUTH_TICKET_INVALID', 'This connect link has expired; start again from Bosun');
      const tenant = await deps.loadTenant(claims.sub);
      if (!tenant) throw new OAuthFlowError('OAUTH_TICKET_INVALID', 'Bosun is no longer installed in this workspace');
      const state = randomBytes(32).toString('base64url');
      const browserNonce = randomBytes(32).toString('base64url');
      const verifier = randomBytes(48).toString('base64url');
      const stateHash = sha256(state);
      await deps.states.create({
        stateHash,
        clientKey: tenant.clientKey,
        userUuid: claims.uid,
        browserNonceHash: sha256(browserNonce),
        codeVerifierSealed: deps.box.seal(verifier, verifierContext(stateHash)),
        expiresAt: new Date(deps.now().getTime() + STATE_TTL_MS),
        createdAt: deps.now(),
      });
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const url = new URL(deps.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: consumer.clientId,
        response_type: 'code',
        state,
        redirect_uri: callbackUrl,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString();
      return { authorizeUrl: url.toString(), browserNonce };
    },
    async complete(params) {
      const { tokens } = requireConsumer();
      if (!params.state) throw new OAuthFlowError('OAUTH_STATE_INVALID', 'The answer from Bitbucket has no state; start again from Bosun');
      const stored = await deps.states.consume(sha256(params.state));
      if (!stored) throw new OAuthFlowError('OAUTH_STATE_INVALID', 'This sign-in link was already used or is unknown; start again from Bosun');
      if (stored.expiresAt.getTime() <= deps.now().getTime()) {
        throw new OAuthFlowError('OAUTH_STATE_EXPIRED', 'This sign-in took too long and expired; start again from Bosun');
      }
      // The state is bound to the browser that started the flow: a link forwarded to someone else fails here.
      if (!params.browserNonce || sha256(params.browserNonce) !== stored.browserNonceHash) {
        throw new OAuthFlowError('OAUTH_BROWSER_MISMATCH', 'This sign-in was started by someone else or in another browser; start again from Bosun');
      }
      if (params.error) {
        throw new OAuthFlowError('OAUTH_DENIED', params.error === 'access_denied' ? 'You cancelled the connection in Bitbucket' : `Bitbucket answered: ${params.error}`);
      }
      if (!params.code) throw new OAuthFlowError('OAUTH_EXCHANGE_FAILED', 'The answer from Bitbucket has no authorization code');
      const tenant = await deps.loadTenant(stored.clientKey);
      if (!tenant) throw new OAuthFlowError('OAUTH_STATE_INVALID', 'Bosun is no longer installed in this workspace');
      const verifier = deps.box.open(stored.codeVerifierSealed, verifierContext(stored.stateHash));
      let tokenSet;
      try {
        tokenSet = await tokens.exchangeCode({ code: params.code, redirectUri: callbackUrl, codeVerifier: verifier });
      } catch (err) {
        if (err instanceof OAuthGrantError) throw new OAuthFlowError('OAUTH_EXCHANGE_FAILED', `${err.message}; start again from Bosun`);
        throw err;
      }
      const profile = await deps.fetchProfile(tenant, tokenSet.accessToken);
      // The Connect user who clicked and the Bitbucket account that consented must be one person.
      if (profile.uuid !== stored.userUuid) {
        throw new OAuthFlowError(
          'OAUTH_WRONG_ACCOUNT',
          `You signed in to Bitbucket as ${profile.displayName}, but you are using Bosun as another Bitbucket user; sign in as yourself and try again`,
        );
      }
      try {
        await deps.vault.save(tenant, stored.userUuid, profile, tokenSet);
      } catch (err) {
        if (err instanceof AccountAlreadyLinkedError) throw new OAuthFlowError('OAUTH_ACCOUNT_LINKED', err.message);
        throw err;
      }
      deps.logger.info('User connected their Bitbucket account', { tenant: tenant.clientKey, user: stored.userUuid });
      return { tenant, profile };
    },
  };
}
