import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hasScope } from '../connect/scopes';
import { toBitbucketDate } from '../state/dates';
import type { Installation, SandboxState, User } from '../state/types';
import { toDevConsumerInput } from './dev-consumer';
import { OAuthError } from './oauth-error';
import { isVerifierValid, type CodeChallengeMethod } from './pkce';
import type {
  OAuthAccessToken,
  OAuthConsumer,
  OAuthConsumerInput,
  OAuthGrant,
  OAuthSandboxOptions,
  OAuthState,
  OAuthSubject,
  OAuthTokenResponse,
} from './types';

export interface OAuthServerDeps {
  state: SandboxState;
  now: () => Date;
  rotateRefreshTokens: boolean;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  refreshTokenIdleTtlSeconds: number;
}

/** The part tests and boot scripts use (`sandbox.oauth`). */
export interface SandboxOAuth {
  readonly state: OAuthState;
  addConsumer(input: OAuthConsumerInput): OAuthConsumer;
  getConsumer(key: string): OAuthConsumer | undefined;
  /** The consumers a user has granted (App authorizations). */
  listGrants(userNickname: string): OAuthGrant[];
  /** App authorizations → Revoke: deletes the consent and every token and pending code of that user for that consumer. */
  revoke(userNickname: string, consumerKey: string): { accessTokens: number; refreshTokens: number };
  /** Consent without a browser: records the grant and returns what the code exchange would. */
  issueTokens(input: { userNickname: string; consumerKey: string }): OAuthTokenResponse;
}

export interface CodeRequest {
  consumer: OAuthConsumer;
  user: User;
  redirectUri: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: CodeChallengeMethod | null;
}

/** What the routers need besides the public part. */
export interface OAuthServer extends SandboxOAuth {
  issueCode(req: CodeRequest): string;
  authenticateClient(input: { clientId: string; clientSecret: string }): OAuthConsumer;
  exchangeCode(consumer: OAuthConsumer, input: { code: string; redirectUri: string | null; codeVerifier: string | null }): OAuthTokenResponse;
  refresh(consumer: OAuthConsumer, refreshToken: string): OAuthTokenResponse;
  clientCredentials(consumer: OAuthConsumer): OAuthTokenResponse;
  jwtGrant(installation: Installation, requestedScope: string | null): OAuthTokenResponse;
}

function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function isSameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createOAuthServer(deps: OAuthServerDeps): OAuthServer {
  const { state } = deps;
  const o = state.oauth;
  const nowMs = () => deps.now().getTime();

  const findUser = (nickname: string): User => {
    const user = state.users.find((u) => u.nickname === nickname);
    if (!user) throw new Error(`No sandbox user '${nickname}'.`);
    return user;
  };
  const getConsumer = (key: string) => o.consumers.find((c) => c.key === key);

  const addConsumer = (input: OAuthConsumerInput): OAuthConsumer => {
    if (!input.key || !input.secret) throw new Error('An OAuth consumer needs a key and a secret.');
    new URL(input.callbackUrl); // throws on a malformed callback: fail at setup, not at consent
    const owner = input.ownerNickname ?? state.workspaces[0]?.admins[0] ?? null;
    const consumer: OAuthConsumer = {
      key: input.key,
      secret: input.secret,
      name: input.name,
      description: input.description ?? '',
      callbackUrl: input.callbackUrl,
      scopes: [...input.scopes],
      private: input.private ?? false,
      ownerNickname: owner,
      createdOn: toBitbucketDate(deps.now()),
    };
    const i = o.consumers.findIndex((c) => c.key === consumer.key);
    if (i >= 0) o.consumers[i] = consumer;
    else o.consumers.push(consumer);
    return consumer;
  };

  const toScopeString = (scopes: readonly string[]) => scopes.join(' ');

  const issueAccessToken = (consumerKey: string | null, subject: OAuthSubject, scopes: string[]): OAuthAccessToken => {
    const at: OAuthAccessToken = { token: newToken(), consumerKey, subject, scopes, expiresAt: nowMs() + deps.accessTokenTtlSeconds * 1000 };
    o.accessTokens.push(at);
    return at;
  };

  const toResponse = (at: OAuthAccessToken, refreshToken: string | undefined): OAuthTokenResponse => ({
    access_token: at.token,
    token_type: 'bearer',
    expires_in: deps.accessTokenTtlSeconds,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    // Since May 2026 Bitbucket answers `scope`; older responses said `scopes`. Both, so either client works.
    scopes: toScopeString(at.scopes),
    scope: toScopeString(at.scopes),
  });

  const issueUserTokens = (consumer: OAuthConsumer, user: User, scopes: string[]): OAuthTokenResponse => {
    const at = issueAccessToken(consumer.key, { kind: 'user', userUuid: user.uuid }, scopes);
    const rt = newToken();
    o.refreshTokens.push({ token: rt, consumerKey: consumer.key, userUuid: user.uuid, scopes, lastUsedAt: nowMs() });
    return toResponse(at, rt);
  };

  const recordGrant = (consumer: OAuthConsumer, user: User) => {
    const existing = o.grants.find((g) => g.consumerKey === consumer.key && g.userUuid === user.uuid);
    // Re-consent picks up scopes an admin added to the consumer since ("step-up").
    if (existing) {
      existing.scopes = [...consumer.scopes];
      existing.grantedOn = toBitbucketDate(deps.now());
    } else {
      o.grants.push({ consumerKey: consumer.key, userUuid: user.uuid, scopes: [...consumer.scopes], grantedOn: toBitbucketDate(deps.now()) });
    }
  };

  const server: OAuthServer = {
    state: o,
    addConsumer,
    getConsumer,

    listGrants(userNickname) {
      const user = findUser(userNickname);
      return o.grants.filter((g) => g.userUuid === user.uuid);
    },

    revoke(userNickname, consumerKey) {
      const user = findUser(userNickname);
      const mine = (t: { consumerKey: string | null; userUuid: string }) => t.consumerKey === consumerKey && t.userUuid === user.uuid;
      const before = { at: o.accessTokens.length, rt: o.refreshTokens.length };
      o.accessTokens = o.accessTokens.filter((t) => !(t.consumerKey === consumerKey && t.subject.kind === 'user' && t.subject.userUuid === user.uuid));
      o.refreshTokens = o.refreshTokens.filter((t) => !mine(t));
      o.codes = o.codes.filter((c) => !mine(c));
      o.grants = o.grants.filter((g) => !mine(g));
      return { accessTokens: before.at - o.accessTokens.length, refreshTokens: before.rt - o.refreshTokens.length };
    },

    issueTokens({ userNickname, consumerKey }) {
      const consumer = getConsumer(consumerKey);
      if (!consumer) throw new Error(`No OAuth consumer '${consumerKey}'.`);
      const user = findUser(userNickname);
      recordGrant(consumer, user);
      return issueUserTokens(consumer, user, [...consumer.scopes]);
    },

    issueCode(req) {
      recordGrant(req.consumer, req.user);
      const code = newToken(24);
      o.codes.push({
        code,
        consumerKey: req.consumer.key,
        userUuid: req.user.uuid,
        redirectUri: req.redirectUri,
        codeChallenge: req.codeChallenge,
        codeChallengeMethod: req.codeChallengeMethod,
        scopes: [...req.consumer.scopes],
        expiresAt: nowMs() + deps.codeTtlSeconds * 1000,
        used: false,
      });
      return code;
    },

    authenticateClient({ clientId, clientSecret }) {
      const consumer = getConsumer(clientId);
      if (!consumer || !isSameSecret(consumer.secret, clientSecret)) throw new OAuthError(401, 'invalid_client', 'Invalid OAuth client credentials');
      return consumer;
    },

    exchangeCode(consumer, { code, redirectUri, codeVerifier }) {
      if (!code) throw new OAuthError(400, 'invalid_request', 'Missing code parameter.');
      const record = o.codes.find((c) => c.code === code);
      if (!record || record.consumerKey !== consumer.key) throw new OAuthError(400, 'invalid_grant', 'The authorization code is invalid.');
      if (record.used) throw new OAuthError(400, 'invalid_grant', 'The authorization code has already been used.');
      if (record.expiresAt <= nowMs()) throw new OAuthError(400, 'invalid_grant', 'The authorization code has expired.');
      // RFC 6749 §4.1.3: when /authorize got a redirect_uri, the token request must repeat it exactly.
      const expectedRedirect = record.redirectUri ?? consumer.callbackUrl;
      if (record.redirectUri !== null ? redirectUri !== record.redirectUri : redirectUri !== null && redirectUri !== expectedRedirect) {
        throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the one used in the authorization request.');
      }
      if (record.codeChallenge !== null) {
        if (!codeVerifier) throw new OAuthError(400, 'invalid_grant', 'Missing code_verifier: the authorization request carried a code_challenge.');
        if (!isVerifierValid(codeVerifier, record.codeChallenge, record.codeChallengeMethod ?? 'plain')) {
          throw new OAuthError(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
        }
      }
      record.used = true;
      const user = state.users.find((u) => u.uuid === record.userUuid);
      if (!user) throw new OAuthError(400, 'invalid_grant', 'The user who granted this code no longer exists.');
      return issueUserTokens(consumer, user, record.scopes);
    },

    refresh(consumer, refreshToken) {
      if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'Missing refresh_token parameter.');
      const rt = o.refreshTokens.find((t) => t.token === refreshToken && t.consumerKey === consumer.key);
      if (!rt) throw new OAuthError(400, 'invalid_grant', 'Invalid refresh_token');
      if (rt.lastUsedAt + deps.refreshTokenIdleTtlSeconds * 1000 <= nowMs()) {
        o.refreshTokens = o.refreshTokens.filter((t) => t !== rt);
        throw new OAuthError(400, 'invalid_grant', 'The refresh_token has expired: it was not used for too long.');
      }
      const user = state.users.find((u) => u.uuid === rt.userUuid);
      if (!user) throw new OAuthError(400, 'invalid_grant', 'Invalid refresh_token');
      const at = issueAccessToken(consumer.key, { kind: 'user', userUuid: user.uuid }, rt.scopes);
      if (!deps.rotateRefreshTokens) {
        rt.lastUsedAt = nowMs();
        return toResponse(at, rt.token);
      }
      // Rotation (Bitbucket since 4 May 2026): the presented refresh token dies as the new one is born.
      o.refreshTokens = o.refreshTokens.filter((t) => t !== rt);
      const next = newToken();
      o.refreshTokens.push({ token: next, consumerKey: consumer.key, userUuid: user.uuid, scopes: rt.scopes, lastUsedAt: nowMs() });
      return toResponse(at, next);
    },

    clientCredentials(consumer) {
      if (!consumer.private) {
        throw new OAuthError(400, 'unauthorized_client', 'client_credentials is only allowed for private consumers; this consumer is public.');
      }
      const owner = consumer.ownerNickname ? state.users.find((u) => u.nickname === consumer.ownerNickname) : undefined;
      if (!owner) throw new OAuthError(400, 'unauthorized_client', 'This consumer has no owner to act as.');
      return issueUserTokens(consumer, owner, [...consumer.scopes]);
    },

    jwtGrant(installation, requestedScope) {
      const granted = installation.descriptor.scopes ?? [];
      // `scope=` may narrow what the app was granted, never widen it.
      const scopes = requestedScope
        ? requestedScope.split(/[\s,]+/).filter((s) => s && hasScope(granted, s))
        : [...granted];
      const oauthConsumer = installation.descriptor.oauthConsumer as { clientId?: unknown } | undefined;
      const consumerKey = typeof oauthConsumer?.clientId === 'string' ? oauthConsumer.clientId : null;
      const at = issueAccessToken(consumerKey, { kind: 'app', clientKey: installation.clientKey }, scopes);
      return toResponse(at, undefined);
    },
  };
  return server;
}

/** Builds the OAuth server from SandboxOptions: the development consumer (with the seed), then `oauthConsumers`. */
export function createOAuthServerFromOptions(input: { state: SandboxState; now: () => Date; seed: boolean; options: OAuthSandboxOptions }): OAuthServer {
  const { options } = input;
  const server = createOAuthServer({
    state: input.state,
    now: input.now,
    rotateRefreshTokens: options.oauthRotateRefreshTokens ?? true,
    accessTokenTtlSeconds: options.oauthAccessTokenTtlSeconds ?? 7200,
    codeTtlSeconds: options.oauthCodeTtlSeconds ?? 60,
    refreshTokenIdleTtlSeconds: options.oauthRefreshTokenIdleTtlSeconds ?? 90 * 24 * 3600,
  });
  if (input.seed) server.addConsumer(toDevConsumerInput(options.oauthDevCallbackUrl));
  for (const consumer of options.oauthConsumers ?? []) server.addConsumer(consumer);
  return server;
}
