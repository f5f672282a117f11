import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { escapeHtml as h } from '../host/escape-html';
import { renderLayout } from '../host/render-layout';
import { getPullRequest, getRepository, getWorkspace, getWorkspaceOf } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { PullRequest, Repository, SandboxState, User, Workspace } from '../state/types';
import type { ForgeHost, ForgeInstallation } from './create-forge-host';
import { FORGE_HOST_JS } from './forge-bridge-scripts';

export interface ForgePagesDeps {
  state: SandboxState;
  forge: ForgeHost;
  /** The sandbox's own origin (the product page; Forge context's siteUrl). */
  publicUrl: string;
  /** Where the Custom UI resource is served (its own origin). */
  resourceUrl: () => string;
  /** Frames remembered for their bridge calls (oldest forgotten first). */
  maxFrames?: number;
}

/** manifest.yml's Custom UI modules, as Bitbucket would place them. */
const MODULES = {
  prPanel: { key: 'bosun-pr-panel', type: 'bitbucket:repoPullRequestOverviewPanel', title: 'Bosun' },
  prCard: { key: 'bosun-pr-card', type: 'bitbucket:repoPullRequestCard', title: 'Bosun' },
  prAction: { key: 'bosun-pr-action', type: 'bitbucket:repoPullRequestAction', title: 'Ask Bosun' },
  workspacePage: { key: 'bosun-workspace', type: 'bitbucket:workspaceSettingsMenuPage', title: 'Bosun workspace' },
  repoPage: { key: 'bosun-repo-dashboard', type: 'bitbucket:repoMainMenuPage', title: 'Bosun' },
  adminPage: { key: 'bosun-admin-settings', type: 'bitbucket:workspaceSettingsMenuPage', title: 'Bosun' },
  personalPage: { key: 'bosun-personal-settings', type: 'bitbucket:workspacePersonalSettingsPage', title: 'Bosun' },
} as const;
type ForgeModule = (typeof MODULES)[keyof typeof MODULES];

interface Frame {
  installation: ForgeInstallation;
  moduleKey: string;
  accountId: string;
  context: Record<string, unknown>;
}

const method = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** The Custom UI's own path on the remote: relative, no scheme or host, no way out of the remote. */
const remotePath = z.string().min(1).max(2048).regex(/^\/(?!\/)[^\s\\]*$/, 'must be a path on the remote');
const invokeBody = z.object({ path: remotePath, method, headers: z.record(z.string().max(64), z.string().max(1024)).default({}), body: z.unknown().optional() });
const fetchBody = z.object({
  remoteKey: z.literal('bosun'),
  path: remotePath,
  method: method.default('GET'),
  headers: z.array(z.tuple([z.string().max(64), z.string().max(1024)])).max(50).default([]),
  body: z.string().max(256 * 1024).nullable().default(null),
});

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * The sandbox's Bitbucket pages for the Forge app: a pull request with Bosun's overview panel, the
 * repository page, workspace settings and personal settings, each framing the Custom UI resource
 * (on its own origin) and answering the frame's @forge/bridge calls (forge-bridge-scripts.ts). A
 * frame's invokeRemote becomes a call to Bosun signed as Forge signs it: a FIT for the frame's
 * installation, module and viewer, with the app's and the viewer's tokens.
 */
export function createForgePagesRouter(deps: ForgePagesDeps): Router {
  const { state, forge } = deps;
  const router = express.Router();
  const frames = new Map<string, Frame>();
  const maxFrames = deps.maxFrames ?? 1000;
  const siteUrl = deps.publicUrl.replace(/\/+$/, '');

  const viewer = (req: Request, res: Response): User => {
    const as = typeof req.query.as === 'string' ? req.query.as : undefined;
    const nick = as ?? readCookie(req, 'sandbox_user') ?? 'alice';
    const user = state.users.find((u) => u.nickname === nick);
    if (!user) throw new SandboxError(400, `There is no sandbox user "${nick}".`);
    if (as) res.cookie('sandbox_user', user.nickname, { httpOnly: true, sameSite: 'lax', path: '/' });
    return user;
  };
  const installationIn = (ws: Workspace): ForgeInstallation => {
    const inst = forge.installations().find((i) => i.workspaceUuid === ws.uuid);
    if (!inst) throw new SandboxError(404, `The Forge app is not installed in ${ws.name}.`);
    return inst;
  };
  const frame = (inst: ForgeInstallation, module: ForgeModule, user: User, extension: Record<string, unknown>): string => {
    const id = randomBytes(12).toString('base64url');
    // Forge's FullContext as @forge/bridge types it; Bitbucket's `extension` fields are unverified.
    const context = {
      accountId: user.accountId,
      workspaceId: inst.workspaceUuid,
      extension: { type: module.type, ...extension },
      environmentId: 'sandbox',
      environmentType: 'DEVELOPMENT',
      localId: `${module.key}-${id}`,
      locale: 'en-US',
      moduleKey: module.key,
      siteUrl,
      timezone: 'UTC',
    };
    frames.set(id, { installation: inst, moduleKey: module.key, accountId: user.accountId, context });
    while (frames.size > maxFrames) {
      const oldest = frames.keys().next().value;
      if (oldest === undefined) break;
      frames.delete(oldest);
    }
    const origin = new URL(deps.resourceUrl()).origin;
    // Custom UI frames are sandboxed with no top navigation: links leave through the bridge's router
    // (the attribute list is unverified against Bitbucket's).
    // JSON inside <script>: "<" escaped so no string in it can close the element.
    const json = JSON.stringify(context).replace(/</g, '\\u003c');
    return `<script type="application/json" id="forge-context-${h(id)}">${json}</script>
<iframe data-forge-frame="${h(id)}" data-forge-origin="${h(origin)}" data-testid="forge-iframe-${h(module.key)}" title="${h(module.title)}" src="${h(deps.resourceUrl())}" sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads" style="width:100%;border:0;min-height:60px;display:block"></iframe>`;
  };
  const page = (req: Request, res: Response, user: User, title: string, body: string) => {
    res.type('html').send(renderLayout({ title, user, users: state.users, currentPath: req.path, body: `${body}<script src="/_forge/scripts/host.js"></script>` }));
  };
  const wrap = (fn: (req: Request, res: Response) => void | Promise<void>) => async (req: Request, res: Response) => {
    try {
      await fn(req, res);
    } catch (err) {
      const status = err instanceof SandboxError ? err.status : 500;
      res.status(status).type('text').send(err instanceof Error ? err.message : String(err));
    }
  };
  const repoExtension = (repo: Repository, ws: Workspace) => ({ repository: { uuid: repo.uuid, full_name: `${ws.slug}/${repo.slug}`, name: repo.name }, workspace: { uuid: ws.uuid, slug: ws.slug } });
  const lozenge = (text: string) => `<span class="lozenge l-${h(text)}">${h(text)}</span>`;

  // Mounted after the sandbox's Connect host router, whose `/:workspace/:repo` and friends catch
  // GETs first: every path here has a shape none of those match (a literal where theirs has a
  // parameter, or more segments).
  router.get('/_forge/scripts/host.js', (_req, res) => res.type('application/javascript').send(FORGE_HOST_JS));

  router.get('/forge/:workspace/:repo/pull-requests/:id', wrap((req, res) => {
    const user = viewer(req, res);
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const pr: PullRequest = getPullRequest(state, repo, Number(req.params.id));
    const inst = installationIn(ws);
    const statuses = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === pr.source.hash);
    const statusRows = statuses.map((s) => `<li data-testid="status-${h(s.key)}">${lozenge(s.state)} ${h(s.name)}</li>`).join('') || '<li class="muted">No builds</li>';
    const comments = state.comments.filter((c) => c.repoUuid === repo.uuid && c.prId === pr.id && !c.deleted).map((c) => `<div class="card" data-testid="comment">${h(c.raw)}</div>`).join('');
    const prExtension = { ...repoExtension(repo, ws), pullRequest: { id: pr.id } };
    // The PR action is a menu item whose Custom UI opens in a dialog (Bitbucket's placement, unverified here):
    // a <dialog> the action button opens, framing the module when the page loads.
    const action = `<button type="button" data-testid="forge-pr-action-open" onclick="document.getElementById('forge-pr-action').showModal()">${h(MODULES.prAction.title)}</button>
<dialog id="forge-pr-action" data-testid="forge-pr-action" style="width:min(900px,90vw)"><form method="dialog"><button data-testid="forge-pr-action-close">Close</button></form>${frame(inst, MODULES.prAction, user, prExtension)}</dialog>`;
    page(req, res, user, pr.title, `
<h1>${h(pr.title)} <span class="muted">#${pr.id}</span> <span class="lozenge">Forge</span> ${action}</h1>
<p>${lozenge(pr.state)} <code>${h(pr.source.branch)}</code> → <code>${h(pr.destination.branch)}</code> · <a href="/${h(ws.slug)}/${h(repo.slug)}/pull-requests/${pr.id}">the Connect view of this page</a></p>
${pr.state === 'OPEN' ? `<form method="post" action="/forge/${h(ws.slug)}/${h(repo.slug)}/pull-requests/${pr.id}/merge"><button data-testid="forge-merge">Merge</button></form>` : ''}
${typeof req.query.flash === 'string' ? `<div class="banner" data-testid="forge-flash">${h(req.query.flash)}</div>` : ''}
<div class="grid"><div>
<div class="card"><h2 style="margin-top:0">${h(MODULES.prPanel.title)}</h2>${frame(inst, MODULES.prPanel, user, prExtension)}</div>
<h2>Comments</h2>${comments}
</div><div><div class="card"><h2 style="margin-top:0">Builds</h2><ul data-testid="statuses">${statusRows}</ul></div>
<div class="card" data-testid="forge-pr-card"><h2 style="margin-top:0">${h(MODULES.prCard.title)}</h2>${frame(inst, MODULES.prCard, user, prExtension)}</div></div></div>`);
  }));

  // Merge as Bitbucket does with the app's merge check enabled: the check is asked first and a fail blocks it.
  router.post('/forge/:workspace/:repo/pull-requests/:id/merge', wrap(async (req, res) => {
    const user = viewer(req, res);
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const pr = getPullRequest(state, repo, Number(req.params.id));
    let flash: string;
    try {
      const result = await forge.mergeWithChecks(installationIn(ws), { repo: repo.slug, repoUuid: repo.uuid, id: pr.id }, user.nickname);
      flash = result.merged ? 'Merged.' : `Merge blocked: ${result.message}`;
    } catch (err) {
      // Bitbucket's own checks (permissions, required approvals) refuse it after Bosun's passed.
      if (!(err instanceof SandboxError)) throw err;
      flash = `Merge refused: ${err.message}`;
    }
    res.redirect(303, `/forge/${ws.slug}/${repo.slug}/pull-requests/${pr.id}?flash=${encodeURIComponent(flash)}`);
  }));

  router.get('/forge/:workspace/:repo/apps/bosun-repo-dashboard', wrap((req, res) => {
    const user = viewer(req, res);
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    page(req, res, user, `${repo.name} · Bosun`, `<h1>${h(repo.name)} <span class="lozenge">Forge</span></h1>${frame(installationIn(ws), MODULES.repoPage, user, repoExtension(repo, ws))}`);
  }));

  router.get('/forge/:workspace/workspace/settings/apps/bosun-admin-settings', wrap((req, res) => {
    const user = viewer(req, res);
    const ws = getWorkspace(state, String(req.params.workspace));
    // Bitbucket shows workspace settings to workspace admins only.
    if (!ws.admins.includes(user.nickname)) throw new SandboxError(403, `Only admins of ${ws.name} can open its workspace settings.`);
    page(req, res, user, 'Bosun settings', `<h1>Bosun <span class="lozenge">Forge</span></h1>${frame(installationIn(ws), MODULES.adminPage, user, { workspace: { uuid: ws.uuid, slug: ws.slug } })}`);
  }));

  router.get('/forge/:workspace/workspace/settings/apps/bosun-workspace', wrap((req, res) => {
    const user = viewer(req, res);
    const ws = getWorkspace(state, String(req.params.workspace));
    if (!ws.admins.includes(user.nickname)) throw new SandboxError(403, `Only admins of ${ws.name} can open its workspace settings.`);
    page(req, res, user, 'Bosun workspace', `<h1>Bosun workspace <span class="lozenge">Forge</span></h1>${frame(installationIn(ws), MODULES.workspacePage, user, { workspace: { uuid: ws.uuid, slug: ws.slug } })}`);
  }));

  router.get('/forge/:workspace/account/settings/apps/bosun-personal-settings', wrap((req, res) => {
    const user = viewer(req, res);
    const ws = getWorkspace(state, String(req.params.workspace));
    page(req, res, user, 'Bosun · personal settings', `<h1>Bosun <span class="lozenge">Forge</span></h1>${frame(installationIn(ws), MODULES.personalPage, user, { workspace: { uuid: ws.uuid, slug: ws.slug } })}`);
  }));

  const frameOf = (req: Request): Frame => {
    const found = frames.get(String(req.params.frame));
    if (!found) throw new SandboxError(404, 'This frame is gone: reload the page.');
    if (!forge.installations().some((i) => i.installationId === found.installation.installationId)) throw new SandboxError(404, 'The Forge app was uninstalled.');
    return found;
  };
  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const result = schema.safeParse(body);
    if (!result.success) throw new SandboxError(400, result.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; '));
    return result.data;
  };
  const json = express.json({ limit: '300kb' });
  const relayError = (res: Response, err: unknown) => res.status(err instanceof SandboxError ? err.status : 502).json({ error: err instanceof Error ? err.message : String(err) });

  // invokeRemote: the remote's answer as Forge hands it to the frame ({status, headers, body}, the body parsed).
  router.post('/_forge/frames/:frame/invoke', json, async (req, res) => {
    try {
      const f = frameOf(req);
      const call = parse(invokeBody, req.body);
      const answer = await forge.invokeRemote(f.installation, { moduleKey: f.moduleKey, accountId: f.accountId, path: call.path, method: call.method, body: call.body, headers: call.headers });
      res.json({ status: answer.status, headers: answer.headers, body: answer.json ?? undefined });
    } catch (err) {
      relayError(res, err);
    }
  });

  // requestRemote: the remote's answer as text, as @forge/bridge builds a Response from it.
  router.post('/_forge/frames/:frame/fetch', json, async (req, res) => {
    try {
      const f = frameOf(req);
      const call = parse(fetchBody, req.body);
      let body: unknown;
      if (call.body !== null && call.body !== '') {
        try {
          body = JSON.parse(call.body);
        } catch {
          throw new SandboxError(400, 'The sandbox relays JSON bodies only');
        }
      }
      // requestRemote is not proxied as an invocation: a FIT, but neither the app's nor the person's token.
      const answer = await forge.invokeRemote(f.installation, { moduleKey: f.moduleKey, accountId: f.accountId, path: call.path, method: call.method, body, headers: Object.fromEntries(call.headers), tokens: false });
      res.json({ status: answer.status, statusText: '', headers: answer.headers, body: answer.text });
    } catch (err) {
      relayError(res, err);
    }
  });

  return router;
}
