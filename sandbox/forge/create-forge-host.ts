import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { SandboxActions } from '../actions/create-actions';
import { ensureAppUser } from '../connect/create-installer';
import { getUser, getWorkspace } from '../state/lookups';
import type { Installation, SandboxState } from '../state/types';

/** The claims of a FIT the sandbox signs; tests override any of them to build bad tokens. */
export interface FitClaimsInput {
  installation: ForgeInstallation;
  moduleKey?: string | null;
  accountId?: string | null;
  ttlSeconds?: number;
  /** Replaces claims after the defaults (undefined deletes one). */
  override?: Record<string, unknown>;
}

/** A Forge installation the sandbox holds: Bitbucket's view (installation id, workspace) and its app tokens. */
export interface ForgeInstallation {
  installationId: string;
  workspaceUuid: string;
  workspaceSlug: string;
  installerAccountId: string;
  /** What `x-forge-oauth-system` carries: a sandbox bearer token acting as this installation. */
  systemToken: string;
}

export interface ForgeRemoteResponse {
  status: number;
  json: unknown;
  text: string;
  headers: Record<string, string>;
}

export interface ForgeHost {
  appId: string;
  /** Where the sandbox publishes its FIT signing keys. */
  jwksUrl: string;
  jwks(): { keys: JWK[] };
  signFit(input: FitClaimsInput): Promise<string>;
  /** Installs the Forge app in a workspace: sends `avi:forge:installed:app` to the remote. */
  install(opts?: { workspace?: string; actorNickname?: string }): Promise<ForgeInstallation>;
  /** The installations this platform made and has not uninstalled, oldest first. */
  installations(): ForgeInstallation[];
  uninstall(installation: ForgeInstallation): Promise<ForgeRemoteResponse>;
  /** A call to a manifest endpoint route (events, merge check, lifecycle), as Forge makes it: POST, FIT, app token. */
  callEndpoint(path: string, installation: ForgeInstallation, body: unknown, opts?: { fit?: string; withSystemToken?: boolean }): Promise<ForgeRemoteResponse>;
  /**
   * `invokeRemote` from a Custom UI module: FIT for the module and person, app and user tokens.
   * `tokens: false` is `requestRemote`, which Forge does not proxy: a FIT and no OAuth token
   * (https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/requestRemote).
   */
  invokeRemote(installation: ForgeInstallation, input: { moduleKey: string; accountId: string; path: string; method?: string; body?: unknown; headers?: Record<string, string>; tokens?: boolean }): Promise<ForgeRemoteResponse>;
  /**
   * A merge as Bitbucket runs it with a Forge merge check: it asks the app's merge-check endpoint
   * first and merges only on `success: true` (a refused or failing check blocks it, with its message).
   */
  mergeWithChecks(installation: ForgeInstallation, ref: { repo: string; repoUuid: string; id: number }, actorNickname: string): Promise<{ merged: boolean; message: string }>;
  /**
   * manifest.yml's scheduled trigger (bosun-token-refresh) firing once: for every installation, a fresh app system
   * token, POSTed to /forge/scheduled with a FIT as Forge Remote sends scheduled triggers
   * (https://developer.atlassian.com/platform/forge/remote/scheduled-triggers/). The body is unverified: Forge's
   * function form is `{context: {cloudId, moduleKey}, contextToken}`; what a remote receives is not documented.
   */
  runScheduledTriggers(): Promise<ForgeRemoteResponse[]>;
  /** Serves the JWKS (and nothing else) on its own port. */
  listen(port: number): Promise<{ url: string; close(): Promise<void> }>;
}

export interface ForgeHostOptions {
  state: SandboxState;
  /** The sandbox's REST base (the FIT's `app.apiBaseUrl`). */
  apiBaseUrl: string;
  /** Bosun's base URL (manifest.yml's BOSUN_REMOTE_URL); a function when Bosun starts after the Forge host. */
  remoteUrl: string | (() => string);
  appId?: string;
  now: () => Date;
  fetch?: typeof fetch;
  /** The sandbox's actions, for merges behind the merge check. */
  actions?: SandboxActions;
}

/** The Connect scopes the sandbox checks, for the granular ones manifest.yml asks for. */
const GRANTED = ['account', 'pullrequest:write', 'pipeline:write', 'repository:admin'];
const TOKEN_TTL_SECONDS = 3600;

async function toResponse(res: Response): Promise<ForgeRemoteResponse> {
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: Object.fromEntries(res.headers.entries()) };
}

/**
 * The sandbox's Forge platform: it signs Forge Invocation Tokens with its own RS256 key (published
 * as a JWKS), issues app system tokens the sandbox REST API accepts, and calls the remote the way
 * Forge Remote does (https://developer.atlassian.com/platform/forge/remote/essentials/).
 */
export async function createForgeHost(opts: ForgeHostOptions): Promise<ForgeHost> {
  const appId = opts.appId ?? `ari:cloud:ecosystem::app/${randomUUID()}`;
  const kid = `sandbox-${randomBytes(4).toString('hex')}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const nowSeconds = () => Math.floor(opts.now().getTime() / 1000);
  const remoteUrl = opts.remoteUrl;
  const remote = () => (typeof remoteUrl === 'function' ? remoteUrl() : remoteUrl).replace(/\/+$/, '');
  let jwksUrl = '';
  const installed: ForgeInstallation[] = [];

  const sign = async (claims: Record<string, unknown>, key: CryptoKey = privateKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);

  const signFit: ForgeHost['signFit'] = async (input) => {
    const iat = nowSeconds();
    const claims: Record<string, unknown> = {
      iss: 'forge/invocation-token',
      aud: appId,
      iat,
      nbf: iat,
      exp: iat + (input.ttlSeconds ?? 60),
      jti: randomUUID(),
      app: {
        id: appId,
        version: '1',
        installationId: input.installation.installationId,
        apiBaseUrl: opts.apiBaseUrl,
        environment: { type: 'DEVELOPMENT', id: `ari:cloud:ecosystem::environment/${appId.split('/').pop()}/sandbox` },
        ...(input.moduleKey ? { module: { key: input.moduleKey, type: 'xen:macro' } } : {}),
      },
      context: { workspaceId: input.installation.workspaceUuid, ...(input.moduleKey ? { moduleKey: input.moduleKey } : {}) },
      ...(input.accountId ? { principal: input.accountId } : {}),
    };
    for (const [k, v] of Object.entries(input.override ?? {})) {
      if (v === undefined) delete claims[k];
      else claims[k] = v;
    }
    return sign(claims);
  };

  // Forge's app and user tokens are JWTs whose `exp` is their expiry (https://developer.atlassian.com/platform/forge/remote/calling-product-apis/).
  // Only Bitbucket checks their signature, so the sandbox's are signed with a key of its own and looked up by value.
  const tokenKey = randomBytes(32);
  const issueToken = (subject: { kind: 'app'; clientKey: string } | { kind: 'user'; userUuid: string }) => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const iat = Math.floor(opts.now().getTime() / 1000);
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: subject.kind === 'app' ? subject.clientKey : subject.userUuid, iat, exp: iat + TOKEN_TTL_SECONDS, jti: randomUUID() })}`;
    const token = `${unsigned}.${createHmac('sha256', tokenKey).update(unsigned).digest('base64url')}`;
    opts.state.oauth.accessTokens.push({ token, consumerKey: null, subject, scopes: GRANTED, expiresAt: opts.now().getTime() + TOKEN_TTL_SECONDS * 1000 });
    return token;
  };

  const post = async (path: string, headers: Record<string, string>, body: unknown, method = 'POST') =>
    toResponse(
      await doFetch(`${remote()}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body === undefined || method === 'GET' ? undefined : JSON.stringify(body),
      }),
    );

  const callEndpoint: ForgeHost['callEndpoint'] = async (path, installation, body, o = {}) => {
    const fit = o.fit ?? (await signFit({ installation }));
    return post(path, { Authorization: `Bearer ${fit}`, ...(o.withSystemToken === false ? {} : { 'x-forge-oauth-system': installation.systemToken }) }, body);
  };

  return {
    appId,
    get jwksUrl() {
      return jwksUrl;
    },
    jwks: () => ({ keys: [publicJwk] }),
    signFit,
    async install(o = {}) {
      const ws = getWorkspace(opts.state, o.workspace ?? 'acme');
      const actor = getUser(opts.state, o.actorNickname ?? ws.admins[0] ?? 'alice');
      const installationId = `ari:cloud:ecosystem::installation/${randomUUID()}`;
      // The sandbox's REST API knows apps by their installations: a Forge one is recorded beside the Connect ones.
      const descriptor = { key: 'bosun-forge', name: 'Bosun', baseUrl: remote(), scopes: GRANTED };
      const appUser = ensureAppUser(opts.state, installationId, descriptor, new Date(opts.now()).toISOString());
      const row: Installation = {
        clientKey: installationId,
        key: descriptor.key,
        workspaceUuid: ws.uuid,
        sharedSecret: randomBytes(32).toString('base64url'),
        descriptorUrl: `${remote()}/manifest.yml`,
        descriptor,
        installedByUuid: actor.uuid,
        appUserUuid: appUser.uuid,
        installedOn: opts.now().toISOString(),
      };
      opts.state.installations.push(row);
      const installation: ForgeInstallation = {
        installationId,
        workspaceUuid: ws.uuid,
        workspaceSlug: ws.slug,
        installerAccountId: actor.accountId,
        systemToken: issueToken({ kind: 'app', clientKey: installationId }),
      };
      const res = await callEndpoint('/forge/lifecycle', installation, {
        eventType: 'avi:forge:installed:app',
        id: installationId,
        installerAccountId: actor.accountId,
        app: { id: appId, version: '1' },
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`Forge install answered ${res.status}: ${res.text.slice(0, 300)}`);
      installed.push(installation);
      return installation;
    },
    installations: () => [...installed],
    async uninstall(installation) {
      const res = await callEndpoint('/forge/lifecycle', installation, { eventType: 'avi:forge:uninstalled:app', id: installation.installationId, app: { id: appId, version: '1' } });
      const i = opts.state.installations.findIndex((r) => r.clientKey === installation.installationId);
      if (i >= 0) opts.state.installations.splice(i, 1);
      const j = installed.findIndex((r) => r.installationId === installation.installationId);
      if (j >= 0) installed.splice(j, 1);
      return res;
    },
    callEndpoint,
    async invokeRemote(installation, input) {
      const user = opts.state.users.find((u) => u.accountId === input.accountId);
      const fit = await signFit({ installation, moduleKey: input.moduleKey, accountId: input.accountId });
      // The page's own headers go along; Forge's (the FIT and the tokens) replace any of the same name.
      const own = Object.fromEntries(Object.entries(input.headers ?? {}).filter(([name]) => !/^(authorization|x-forge-|host|content-length|cookie)/i.test(name)));
      const headers: Record<string, string> = { ...own, Authorization: `Bearer ${fit}` };
      if (input.tokens !== false) {
        headers['x-forge-oauth-system'] = installation.systemToken;
        // The person's token comes with their own (user-initiated) call only: Forge issues it per invocation.
        if (user) headers['x-forge-oauth-user'] = issueToken({ kind: 'user', userUuid: user.uuid });
      }
      return post(input.path, headers, input.body, input.method ?? 'POST');
    },
    async runScheduledTriggers() {
      const answers: ForgeRemoteResponse[] = [];
      for (const installation of installed) {
        installation.systemToken = issueToken({ kind: 'app', clientKey: installation.installationId });
        answers.push(
          await callEndpoint('/forge/scheduled', installation, { context: { cloudId: installation.workspaceUuid, moduleKey: 'bosun-token-refresh' }, contextToken: randomBytes(16).toString('base64url') }),
        );
      }
      return answers;
    },
    async mergeWithChecks(installation, ref, actorNickname) {
      if (!opts.actions) throw new Error('createForgeHost needs the sandbox actions for merges');
      const res = await callEndpoint('/forge/merge-check', installation, {
        trigger: 'on-merge',
        workspace: { uuid: installation.workspaceUuid },
        repository: { uuid: ref.repoUuid },
        pullrequest: { id: ref.id },
      });
      const answer = res.json as { success?: unknown; message?: unknown } | null;
      if (res.status !== 200 || answer?.success !== true) {
        return { merged: false, message: typeof answer?.message === 'string' ? answer.message : `The merge check answered ${res.status}` };
      }
      opts.actions.merge({ workspace: installation.workspaceSlug, repo: ref.repo, id: ref.id }, actorNickname);
      return { merged: true, message: typeof answer.message === 'string' ? answer.message : '' };
    },
    async listen(port) {
      const app = express();
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.setHeader('Cache-Control', 'max-age=600');
        res.json({ keys: [publicJwk] });
      });
      const server = app.listen(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        server.once('listening', () => resolve());
        server.once('error', reject);
      });
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
      jwksUrl = `${url}/.well-known/jwks.json`;
      return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  };
}
