import express, { type Request, type Response, type Router } from 'express';
import { isBosunError } from '../errors';
import type { Logger } from '../log';
import type { OAuthRoundTrip } from './api/account-ports';
import { escapeHtml } from './escape-html';

const NONCE_COOKIE = 'bosun_oauth_nonce';


function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    // A cookie that is not valid percent-encoding was not set by us: treat it as absent (the flow then refuses with 400).
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A small page for the top-level window; it tells the Bosun iframe that opened it, then closes. */
function renderResult(res: Response, status: number, outcome: { ok: boolean; title: string; message: string }) {
  const payload = JSON.stringify({ type: 'bosun-oauth', status: outcome.ok ? 'connected' : 'failed' }).replace(/</g, '\\u003c');
  res
    .status(status)
    .setHeader('Cache-Control', 'no-store')
    // A top-level window of its own (window.opener reports back): never framed.
    .setHeader('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
    .type('html')
    .send(`<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(outcome.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;color:#172b4d}h1{font-size:1.25rem}</style></head>
<body><h1 data-testid="oauth-result" data-ok="${outcome.ok}">${escapeHtml(outcome.title)}</h1><p>${escapeHtml(outcome.message)}</p>
<p>You can close this window.</p>
<script>try{window.opener&&window.opener.postMessage(${payload},'*')}catch(e){}${outcome.ok ? 'setTimeout(function(){window.close()},1500);' : ''}</script>
</body></html>`);
}

/**
 * The top-level half of "Connect your Bitbucket account": iframes cannot hold first-party
 * cookies, so the iframe opens /oauth/start in a window, which binds the state to this browser.
 */
export function createOAuthRouter(deps: { oauth: OAuthRoundTrip; secureCookies: boolean; logger: Logger }): Router {
  const router = express.Router();
  const fail = (res: Response, err: unknown) => {
    // The flow's refusals (auth's OAuthFlowError), read through the error model's fields.
    if (isBosunError(err) && err.code.startsWith('OAUTH_')) {
      deps.logger.warn('OAuth connection refused', { code: err.code });
      renderResult(res, err.httpStatus, { ok: false, title: 'Bitbucket account not connected', message: err.message });
      return;
    }
    deps.logger.error('OAuth connection failed', { err });
    renderResult(res, 502, { ok: false, title: 'Bitbucket account not connected', message: 'Bitbucket could not be reached; try again in a moment.' });
  };

  router.get('/oauth/start', async (req, res) => {
    try {
      const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : '';
      const { authorizeUrl, browserNonce } = await deps.oauth.begin(ticket);
      res.cookie(NONCE_COOKIE, browserNonce, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        path: '/oauth',
        maxAge: 10 * 60 * 1000,
      });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, authorizeUrl);
    } catch (err) {
      fail(res, err);
    }
  });

  router.get('/oauth/callback', async (req, res) => {
    const param = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    try {
      const { profile } = await deps.oauth.complete({
        code: param('code'),
        state: param('state'),
        error: param('error'),
        browserNonce: readCookie(req, NONCE_COOKIE),
      });
      res.clearCookie(NONCE_COOKIE, { path: '/oauth' });
      renderResult(res, 200, { ok: true, title: `Connected as ${profile.displayName}`, message: 'Bosun can now act as you when you ask it to.' });
    } catch (err) {
      fail(res, err);
    }
  });
  return router;
}
