import express, { type Request, type Response, type Router } from 'express';
import { escapeHtml as h } from '../host/escape-html';
import { renderLayout } from '../host/render-layout';
import { authenticate, hasGrantedScope } from '../rest/authenticate';
import { sendError } from '../rest/send-error';
import { type ApiContext, toApiUrl, toLink } from '../serialize/api-context';
import type { User } from '../state/types';
import type { OAuthServer } from './create-oauth-server';
import { isUnderCallback } from './is-under-callback';
import { OAuthError } from './oauth-error';
import type { CodeChallengeMethod } from './pkce';
import { toScopeDescription } from './scope-descriptions';
import type { OAuthConsumer } from './types';

export interface OAuthRouterDeps {
  ctx: ApiContext;
  oauth: OAuthServer;
  now: () => Date;
}

export const JWT_GRANT_TYPE = 'urn:bitbucket:oauth2:jwt';
export const APP_AUTHORIZATIONS_PATH = '/account/settings/app-authorizations';
const SCOPE_MESSAGE = 'Your credentials lack one or more required privilege scopes.';
const AUTHORIZE_PARAMS = ['client_id', 'response_type', 'state', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'scope'] as const;

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function withParams(url: string, params: Record<string, string | null>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== null) u.searchParams.set(k, v);
  return u.toString();
}

type AuthorizeCheck =
  | {
      ok: true;
      consumer: OAuthConsumer;
      redirectUri: string | null;
      target: string;
      state: string | null;
      codeChallenge: string | null;
      codeChallengeMethod: CodeChallengeMethod | null;
    }
  /** Before client and redirect are trusted, errors are shown, never redirected (open-redirect rule). */
  | { ok: false; page: string }
  | { ok: false; redirect: string };

export function createOAuthRouter({ ctx, oauth, now }: OAuthRouterDeps): Router {
  const { state } = ctx;
  const router = express.Router();
  const form = express.urlencoded({ extended: false });

  /** The sandbox's signed-in person, as on the host pages: `?as=` switches, cookie `sandbox_user` remembers. */
  const signedInUser = (req: Request): User | undefined => {
    const nick = readCookie(req, 'sandbox_user') ?? 'alice';
    return state.users.find((u) => u.nickname === nick) ?? state.users[0];
  };
  // An unknown `?as=` is nobody (the callers answer an error page), never a silent sign-in as someone else.
  const currentUser = (req: Request, res: Response): User | undefined => {
    const as = str(req.query.as);
    if (!as) return signedInUser(req);
    const fromQuery = state.users.find((u) => u.nickname === as);
    if (fromQuery) res.cookie('sandbox_user', fromQuery.nickname, { httpOnly: true, sameSite: 'lax', path: '/' });
    return fromQuery;
  };
  const noUser = (req: Request, fallback: string) => {
    const as = str(req.query.as);
    return as ? `There is no sandbox user "${as}" (?as= takes a nickname: ${state.users.map((u) => u.nickname).join(', ')}).` : fallback;
  };
  const page = (req: Request, res: Response, status: number, title: string, body: string, crumbs?: Array<{ label: string; href?: string }>) => {
    const user = currentUser(req, res) ?? signedInUser(req);
    res.status(status);
    if (!user) return void res.type('text/plain').send(`${title}: the sandbox has no users.`);
    const flash = str(req.query.flash) ?? undefined;
    res.type('html').send(renderLayout({ title, user, users: state.users, currentPath: req.path, body, breadcrumbs: crumbs, flash }));
  };
  const errorPage = (req: Request, res: Response, message: string) =>
    page(req, res, 400, 'Authorization error', `<h1>Authorization error</h1><div class="card banner-error" data-testid="oauth-error">${h(message)}</div>`);

  const checkAuthorize = (src: Record<string, unknown>): AuthorizeCheck => {
    const clientId = str(src.client_id);
    if (!clientId) return { ok: false, page: 'Missing client_id parameter.' };
    const consumer = oauth.getConsumer(clientId);
    if (!consumer) return { ok: false, page: `Invalid client_id: no OAuth consumer '${clientId}'.` };
    const redirectUri = str(src.redirect_uri);
    if (redirectUri !== null && !isUnderCallback(redirectUri, consumer.callbackUrl)) {
      return { ok: false, page: `Invalid redirect_uri: it must be the consumer's callback URL (${consumer.callbackUrl}) or a path below it.` };
    }
    const target = redirectUri ?? consumer.callbackUrl;
    const st = str(src.state);
    const fail = (error: string, description: string): AuthorizeCheck => ({
      ok: false,
      redirect: withParams(target, { error, error_description: description, state: st }),
    });
    if (str(src.response_type) !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported by the sandbox.');
    const codeChallenge = str(src.code_challenge);
    const method = str(src.code_challenge_method);
    if (method !== null && method !== 'S256' && method !== 'plain') return fail('invalid_request', 'code_challenge_method must be S256 or plain.');
    if (method !== null && codeChallenge === null) return fail('invalid_request', 'code_challenge_method without code_challenge.');
    return {
      ok: true, consumer, redirectUri, target, state: st, codeChallenge,
      codeChallengeMethod: codeChallenge === null ? null : ((method ?? 'plain') as CodeChallengeMethod),
    };
  };

  router.get('/site/oauth2/authorize', (req, res) => {
    const check = checkAuthorize(req.query);
    if (!check.ok) return 'page' in check ? errorPage(req, res, check.page) : res.redirect(302, check.redirect);
    const user = currentUser(req, res);
    if (!user) return errorPage(req, res, noUser(req, 'The sandbox has no users to authorize as.'));
    const { consumer } = check;
    const hidden = (only?: readonly string[]) =>
      AUTHORIZE_PARAMS.filter((k) => !only || only.includes(k))
        .map((k) => [k, str(req.query[k])] as const)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${h(v)}">`)
        .join('');
    const scopes = consumer.scopes
      .map((s) => `<li data-scope="${h(s)}"><code>${h(s)}</code> ${h(toScopeDescription(s))}</li>`)
      .join('') || '<li class="muted">No scopes: only your public information.</li>';
    const switcher = state.users
      .map((u) => `<option value="${h(u.nickname)}"${u.uuid === user.uuid ? ' selected' : ''}>${h(u.displayName)} (${h(u.nickname)})</option>`)
      .join('');
    page(req, res, 200, `Authorize ${consumer.name}`, `
<h1>Authorize ${h(consumer.name)}</h1>
<div class="card" data-testid="oauth-consent">
<p><strong data-testid="oauth-consumer-name">${h(consumer.name)}</strong> is requesting access to the Bitbucket account of <strong data-testid="oauth-user">${h(user.displayName)}</strong> (${h(user.nickname)}).</p>
${consumer.description ? `<p class="muted">${h(consumer.description)}</p>` : ''}
<h2>This app will be able to</h2>
<ul data-testid="oauth-scopes">${scopes}</ul>
<p class="muted">Consumer key <code>${h(consumer.key)}</code>. After you decide you will be sent to <code>${h(check.target)}</code>.</p>
<form method="post" action="/site/oauth2/authorize" data-testid="oauth-consent-form">${hidden()}
<div class="actions" style="margin-top:12px"><button id="oauth-approve" data-testid="oauth-approve" name="decision" value="approve">Grant access</button><button id="oauth-deny" data-testid="oauth-deny" class="subtle" name="decision" value="deny">Cancel</button></div>
</form></div>
<form method="get" action="/site/oauth2/authorize" class="muted">${hidden()}<label>Not ${h(user.displayName)}? <select name="as">${switcher}</select></label> <button class="subtle">Switch user</button></form>`);
  });

  router.post('/site/oauth2/authorize', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const check = checkAuthorize(body);
    if (!check.ok) return 'page' in check ? errorPage(req, res, check.page) : res.redirect(303, check.redirect);
    if (str(body.decision) !== 'approve') {
      return res.redirect(303, withParams(check.target, { error: 'access_denied', error_description: 'The user denied access.', state: check.state }));
    }
    const user = currentUser(req, res);
    if (!user) return errorPage(req, res, noUser(req, 'The sandbox has no users to authorize as.'));
    const code = oauth.issueCode({
      consumer: check.consumer, user, redirectUri: check.redirectUri, codeChallenge: check.codeChallenge, codeChallengeMethod: check.codeChallengeMethod,
    });
    res.redirect(303, withParams(check.target, { code, state: check.state }));
  });

  router.post('/site/oauth2/access_token', form, (req, res) => {
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
    try {
      if (!req.is('application/x-www-form-urlencoded')) {
        throw new OAuthError(400, 'invalid_request', 'The token endpoint accepts only application/x-www-form-urlencoded bodies.');
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const grantType = str(body.grant_type);
      if (!grantType) throw new OAuthError(400, 'invalid_request', 'Missing grant_type parameter.');
      const authz = req.headers.authorization ?? '';

      if (grantType === JWT_GRANT_TYPE) {
        if (!/^JWT\s+\S+$/i.test(authz)) throw new OAuthError(401, 'invalid_client', 'The JWT bearer grant needs an app JWT in Authorization: JWT <token>.');
        const auth = authenticate(req, state, now());
        if (!auth.ok) throw new OAuthError(401, 'invalid_client', auth.message);
        if (auth.principal.kind !== 'app') throw new OAuthError(401, 'invalid_client', 'The JWT bearer grant needs a Connect app JWT.');
        return res.json(oauth.jwtGrant(auth.principal.installation, str(body.scope)));
      }
      if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
        throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
      }

      const basic = /^Basic\s+(\S+)$/i.exec(authz);
      let clientId = str(body.client_id);
      let clientSecret = str(body.client_secret);
      if (basic) {
        if (clientSecret !== null) throw new OAuthError(400, 'invalid_request', 'Use one client authentication method: HTTP Basic or client_secret in the body, not both.');
        const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const basicId = colon < 0 ? decoded : decoded.slice(0, colon);
        if (clientId !== null && clientId !== basicId) throw new OAuthError(400, 'invalid_request', 'client_id in the body differs from the HTTP Basic user.');
        clientId = basicId;
        clientSecret = colon < 0 ? '' : decoded.slice(colon + 1);
      }
      if (!clientId || !clientSecret) {
        throw new OAuthError(401, 'invalid_client', 'Client authentication is required: HTTP Basic, or client_id and client_secret in the body.');
      }
      const consumer = oauth.authenticateClient({ clientId, clientSecret });

      switch (grantType) {
        case 'authorization_code':
          return res.json(oauth.exchangeCode(consumer, { code: str(body.code) ?? '', redirectUri: str(body.redirect_uri), codeVerifier: str(body.code_verifier) }));
        case 'refresh_token':
          return res.json(oauth.refresh(consumer, str(body.refresh_token) ?? ''));
        default:
          return res.json(oauth.clientCredentials(consumer));
      }
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (err.code === 'invalid_client') res.set('WWW-Authenticate', 'Basic realm="Bitbucket"');
      res.status(err.status).json({ error: err.code, error_description: err.message });
    }
  });

  router.get(APP_AUTHORIZATIONS_PATH, (req, res) => {
    const user = currentUser(req, res);
    if (!user) return errorPage(req, res, noUser(req, 'The sandbox has no users.'));
    const rows = oauth.listGrants(user.nickname).map((g) => {
      const c = oauth.getConsumer(g.consumerKey);
      return `<tr data-testid="app-authorization-${h(g.consumerKey)}"><td><strong>${h(c?.name ?? g.consumerKey)}</strong><br><span class="muted">${h(g.consumerKey)}</span></td>
<td>${g.scopes.map((s) => `<span class="lozenge">${h(s)}</span>`).join(' ')}</td><td>${h(g.grantedOn)}</td>
<td><form method="post" action="${APP_AUTHORIZATIONS_PATH}/revoke"><input type="hidden" name="consumer_key" value="${h(g.consumerKey)}"><button class="danger" id="revoke-${h(g.consumerKey)}" data-testid="revoke-${h(g.consumerKey)}">Revoke</button></form></td></tr>`;
    }).join('');
    page(req, res, 200, 'App authorizations', `<h1>App authorizations</h1>
<p class="muted">OAuth consumers that ${h(user.displayName)} granted access to their account. Revoking deletes every token the app holds for you.</p>
<table data-testid="app-authorizations"><tr><th>App</th><th>Permissions</th><th>Granted</th><th></th></tr>${rows || '<tr><td colspan="4" class="muted">No app authorizations.</td></tr>'}</table>`,
    [{ label: 'Personal settings' }, { label: 'App authorizations' }]);
  });

  router.post(`${APP_AUTHORIZATIONS_PATH}/revoke`, form, (req, res) => {
    const user = currentUser(req, res);
    if (!user) return errorPage(req, res, noUser(req, 'The sandbox has no users.'));
    const key = str((req.body as Record<string, unknown> | undefined)?.consumer_key) ?? '';
    oauth.revoke(user.nickname, key);
    const name = oauth.getConsumer(key)?.name ?? key;
    res.redirect(303, `${APP_AUTHORIZATIONS_PATH}?flash=${encodeURIComponent(`Access revoked for ${name}.`)}`);
  });

  /** GET /2.0/user/emails (scope email): the token's user. Lives here because only OAuth tokens carry a user. */
  router.get('/2.0/user/emails', (req, res) => {
    const auth = authenticate(req, state, now());
    if (!auth.ok) return sendError(res, auth.status, auth.message);
    const p = auth.principal;
    if (p.kind !== 'user') return sendError(res, 401, 'This endpoint requires a user: an app JWT has no user context.');
    if (!hasGrantedScope(p, 'email')) return sendError(res, 403, SCOPE_MESSAGE, { required: ['email'], granted: p.granted });
    const email = p.user.email;
    res.json({
      pagelen: 10,
      values: [{ type: 'email', email, is_primary: true, is_confirmed: true, links: { self: toLink(toApiUrl(ctx, `/user/emails/${encodeURIComponent(email)}`)) } }],
      page: 1,
      size: 1,
    });
  });

  return router;
}
