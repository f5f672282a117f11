import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxActions } from '../actions/create-actions';
import { buildIframeUrl, type IframeContext } from '../connect/build-iframe-url';
import { InstallError, type Installer } from '../connect/create-installer';
import type { ApiContext } from '../serialize/api-context';
import { toFullName } from '../serialize/to-repository';
import { getCommit, getPullRequest, getRepository, getUser, getWorkspace, getWorkspaceOf } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { ConnectModule, Installation, PullRequest, Repository, User, Workspace } from '../state/types';
import { ALL_JS, HOST_JS } from './ap-scripts';
import { collectModules, findModule, toModuleName } from './collect-modules';
import { escapeHtml as h } from './escape-html';
import { FAVICON_SVG, renderLayout } from './render-layout';
import { renderMarkdown } from './render-markdown';
import { renderPipelineRun, renderPipelinesList } from './render-pipelines-pages';

export interface HostRouterDeps {
  ctx: ApiContext;
  actions: SandboxActions;
  installer: Installer;
  now: () => Date;
}

const PR_PANEL = 'org.bitbucket.pullrequest.overview.informationPanel';
const REPO_NAV = 'org.bitbucket.repository.navigation';

function readCookie(req: Request, name: string): string | undefined {
  const raw = req.headers.cookie ?? '';
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function createHostRouter({ ctx, actions, installer, now }: HostRouterDeps): Router {
  const { state } = ctx;
  const router = express.Router();
  const hostOrigin = new URL(ctx.publicUrl).origin;
  router.use(express.urlencoded({ extended: false }));

  router.get('/atlassian-connect/all.js', (_req, res) => res.type('application/javascript').set('Access-Control-Allow-Origin', '*').send(ALL_JS));
  router.get('/sandbox/host.js', (_req, res) => res.type('application/javascript').send(HOST_JS));
  router.get(['/favicon.svg', '/favicon.ico'], (_req, res) => res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(FAVICON_SVG));
  router.get(['/account/:nick/avatar', '/account/:nick/avatar/'], (req, res) => {
    const letter = String(req.params.nick).slice(0, 1).toUpperCase();
    res.type('image/svg+xml').send(`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" rx="24" fill="#0c66e4"/><text x="24" y="31" font-size="22" text-anchor="middle" fill="#fff" font-family="sans-serif">${h(letter)}</text></svg>`);
  });

  /** Who is signed in, from the cookie (alice when there is none); never throws, so even an error page has a header. */
  const signedInUser = (req: Request): User => {
    const nick = readCookie(req, 'sandbox_user') ?? 'alice';
    return state.users.find((u) => u.nickname === nick) ?? state.users[0] ?? getUser(state, 'alice');
  };
  /** `?as=` switches who is signed in; a name the sandbox does not know is an error, never a silent sign-in as someone else. */
  const currentUser = (req: Request, res: Response): User => {
    const as = typeof req.query.as === 'string' ? req.query.as : undefined;
    if (as === undefined) return signedInUser(req);
    const fromQuery = state.users.find((u) => u.nickname === as);
    if (!fromQuery) {
      const known = state.users.map((u) => u.nickname).join(', ');
      throw new SandboxError(400, `There is no sandbox user "${as}" (?as= takes a nickname: ${known}).`);
    }
    res.cookie('sandbox_user', fromQuery.nickname, { httpOnly: true, sameSite: 'lax', path: '/' });
    return fromQuery;
  };
  const page = (req: Request, res: Response, title: string, body: string, breadcrumbs?: Array<{ label: string; href?: string }>) => {
    const user = res.statusCode >= 400 ? signedInUser(req) : currentUser(req, res);
    const flash = typeof req.query.flash === 'string' ? req.query.flash : undefined;
    res.type('html').send(renderLayout({ title, user, users: state.users, currentPath: req.path, body, breadcrumbs, flash }));
  };
  const wrap = (fn: (req: Request, res: Response) => Promise<void> | void) => async (req: Request, res: Response) => {
    try {
      await fn(req, res);
    } catch (err) {
      const status = err instanceof SandboxError ? err.status : err instanceof InstallError ? 502 : 500;
      const message = err instanceof Error ? err.message : String(err);
      res.status(status);
      page(req, res, 'Error', `<h1>Something went wrong</h1><div class="card banner-error" data-testid="error">${h(message)}</div>`);
    }
  };
  const installsOf = (ws: Workspace) => state.installations.filter((i) => i.workspaceUuid === ws.uuid);
  const userLink = (uuid: string) => {
    const u = state.users.find((x) => x.uuid === uuid);
    return u ? `<img class="avatar" alt="" src="/account/${h(u.nickname)}/avatar/">${h(u.displayName)}` : h(uuid);
  };
  const iframe = (inst: Installation, module: ConnectModule, context: IframeContext) => {
    const channelId = `${inst.key}__${module.key}__${randomBytes(4).toString('hex')}`;
    const src = buildIframeUrl({ installation: inst, moduleUrl: module.url ?? '/', context, hostOrigin, channelId, now: now() });
    return `<iframe data-connect-iframe data-testid="connect-iframe-${h(module.key)}" name="${h(channelId)}" title="${h(toModuleName(module))}" src="${h(src)}"></iframe>`;
  };
  const repoContext = (ws: Workspace, repo: Repository, user: User, pr?: PullRequest): IframeContext => ({
    workspace: ws, repository: repo, repositoryFullName: toFullName(ctx, repo), pullrequest: pr, user,
  });
  // Bitbucket shows workspace settings, and the apps' admin pages inside them, to workspace admins only.
  const requireAdmin = (ws: Workspace, user: User) => {
    if (!ws.admins.includes(user.nickname)) throw new SandboxError(403, `Only admins of ${ws.name} can open its workspace settings.`);
  };
  const lozenge = (text: string, cls = text) => `<span class="lozenge l-${h(cls)}">${h(text)}</span>`;

  router.get('/', wrap((req, res) => {
    const ws = state.workspaces[0];
    if (!ws) return page(req, res, 'Home', '<h1>No workspace</h1>');
    const isAdmin = ws.admins.includes(currentUser(req, res).nickname);
    const repos = state.repositories.filter((r) => r.workspaceUuid === ws.uuid);
    const open = state.pullRequests.filter((p) => p.state === 'OPEN' && repos.some((r) => r.uuid === p.repoUuid));
    const prRows = open.map((p) => {
      const repo = repos.find((r) => r.uuid === p.repoUuid)!;
      return `<tr><td><a href="/${h(toFullName(ctx, repo))}/pull-requests/${p.id}">${h(p.title)}</a> ${p.draft ? lozenge('draft') : ''}</td><td>${h(toFullName(ctx, repo))} #${p.id}</td><td>${userLink(p.authorUuid)}</td></tr>`;
    }).join('');
    const apps = installsOf(ws).map((i) => `<li>${h(i.descriptor.name ?? i.key)} <span class="muted">${h(i.key)}</span></li>`).join('') || '<li class="muted">No apps installed yet.</li>';
    page(req, res, ws.name, `
<h1>${h(ws.name)} <span class="muted">workspace</span></h1>
<div class="grid"><div>
<h2>Repositories</h2><table><tr><th>Name</th><th>Description</th></tr>${repos.map((r) => `<tr><td><a href="/${h(toFullName(ctx, r))}">${h(toFullName(ctx, r))}</a></td><td>${h(r.description)}</td></tr>`).join('')}</table>
<h2>Open pull requests</h2><table data-testid="open-prs"><tr><th>Title</th><th>Repository</th><th>Author</th></tr>${prRows}</table>
</div><div>
<h2>Installed apps</h2><div class="card"><ul>${apps}</ul>${isAdmin ? `<a href="/${h(ws.slug)}/workspace/settings">Manage apps</a>` : ''}</div>
<h2>Personal settings</h2><div class="card"><a href="/account/settings/app-authorizations" data-testid="app-authorizations-link">App authorizations</a></div>
<h2>Install an app</h2><form class="card" method="get" action="/site/addons/authorize" data-testid="install-form">
<label>Descriptor URL<br><input name="descriptor_uri" type="url" required style="width:100%" placeholder="http://localhost:3000/atlassian-connect.json"></label><br><br><button>Continue</button></form>
</div></div>`);
  }));

  router.get('/site/addons/authorize', wrap(async (req, res) => {
    const user = currentUser(req, res);
    const descriptorUri = String(req.query.descriptor_uri ?? '');
    const redirectUri = typeof req.query.redirect_uri === 'string' ? req.query.redirect_uri : '';
    if (!descriptorUri) throw new SandboxError(400, 'descriptor_uri is required.');
    const d = await installer.fetchDescriptor(descriptorUri);
    const workspaces = state.workspaces.filter((w) => w.admins.includes(user.nickname));
    const scopes = (d.scopes ?? []).map((s) => `<li><code>${h(s)}</code></li>`).join('') || '<li class="muted">No scopes requested.</li>';
    page(req, res, `Authorize ${d.name ?? d.key}`, `
<h1>${h(d.name ?? d.key)} would like to be installed</h1>
<div class="card" data-testid="consent">
<p>${h(d.description ?? '')}</p><p class="muted">App key <code>${h(d.key)}</code> · served from ${h(d.baseUrl)}</p>
<h2>It will be able to</h2><ul data-testid="scopes">${scopes}</ul>
${workspaces.length === 0 ? `<p class="banner banner-warning">${h(user.displayName)} is not an admin of any workspace: switch user to install.</p>` : `
<form method="post" action="/site/addons/authorize">
<input type="hidden" name="descriptor_uri" value="${h(descriptorUri)}"><input type="hidden" name="redirect_uri" value="${h(redirectUri)}">
<label>Workspace <select name="workspace">${workspaces.map((w) => `<option value="${h(w.slug)}">${h(w.name)}</option>`).join('')}</select></label>
<div class="actions" style="margin-top:12px"><button data-testid="install-button">Install</button><a class="button subtle" href="/">Cancel</a></div></form>`}
</div>`);
  }));

  router.post('/site/addons/authorize', wrap(async (req, res) => {
    const user = currentUser(req, res);
    const descriptorUri = String(req.body.descriptor_uri ?? '');
    const redirectUri = String(req.body.redirect_uri ?? '');
    const ws = getWorkspace(state, String(req.body.workspace ?? 'acme'));
    if (!ws.admins.includes(user.nickname)) throw new SandboxError(403, 'Only workspace admins can install apps.');
    const d = await installer.fetchDescriptor(descriptorUri);
    if (redirectUri && !redirectUri.startsWith(d.baseUrl)) throw new SandboxError(400, 'redirect_uri must start with the app baseUrl.');
    const inst = await installer.install(descriptorUri, { workspace: ws.slug, actorNickname: user.nickname });
    if (redirectUri) {
      const target = new URL(redirectUri);
      target.searchParams.set('client_key', inst.clientKey);
      return res.redirect(303, target.toString());
    }
    res.redirect(303, `/${ws.slug}/workspace/settings?flash=${encodeURIComponent(`${d.name ?? d.key} installed.`)}`);
  }));

  router.get('/account/settings/addon/:appKey/:moduleKey', wrap((req, res) => {
    const user = currentUser(req, res);
    const inst = state.installations.find((i) => i.key === req.params.appKey);
    const module = inst && findModule(inst, String(req.params.moduleKey), ['profileTabs']);
    if (!inst || !module) throw new SandboxError(404, 'No such app page.');
    const ws = state.workspaces.find((w) => w.uuid === inst.workspaceUuid)!;
    page(req, res, toModuleName(module), `<h1>${h(toModuleName(module))}</h1>${iframe(inst, module, { workspace: ws, user, targetUser: user })}`, [{ label: 'Personal settings' }]);
  }));

  router.get('/:workspace/workspace/settings', wrap((req, res) => {
    const ws = getWorkspace(state, String(req.params.workspace));
    requireAdmin(ws, currentUser(req, res));
    const rows = installsOf(ws).map((i) => {
      const pages = collectModules([i], 'adminPages').concat(collectModules([i], 'configurePage'));
      const links = pages.map((m) => `<a href="/${h(ws.slug)}/workspace/settings/addon/${h(i.key)}/${h(m.module.key)}">${h(toModuleName(m.module))}${m.type === 'configurePage' ? ' (configure)' : ''}</a>`).join(' · ');
      const tabs = collectModules([i], 'profileTabs').map((m) => `<a href="/account/settings/addon/${h(i.key)}/${h(m.module.key)}">${h(toModuleName(m.module))}</a>`).join(' · ');
      return `<tr data-testid="installed-app-${h(i.key)}"><td><strong>${h(i.descriptor.name ?? i.key)}</strong><br><span class="muted">${h(i.key)}</span></td><td>${(i.descriptor.scopes ?? []).map((s) => lozenge(s, 'scope')).join(' ')}</td><td>${links}${tabs ? `<br>${tabs}` : ''}</td>
<td><form method="post" action="/${h(ws.slug)}/workspace/settings/uninstall"><input type="hidden" name="client_key" value="${h(i.clientKey)}"><button class="danger">Uninstall</button></form></td></tr>`;
    }).join('');
    page(req, res, 'Workspace settings', `<h1>Installed apps</h1><table><tr><th>App</th><th>Scopes</th><th>Pages</th><th></th></tr>${rows || '<tr><td colspan="4" class="muted">No apps installed.</td></tr>'}</table>
<p><a href="/">Install an app from the home page</a></p>`, [{ label: ws.name, href: '/' }, { label: 'Workspace settings' }]);
  }));

  router.post('/:workspace/workspace/settings/uninstall', wrap(async (req, res) => {
    const user = currentUser(req, res);
    const ws = getWorkspace(state, String(req.params.workspace));
    if (!ws.admins.includes(user.nickname)) throw new SandboxError(403, 'Only workspace admins can uninstall apps.');
    const clientKey = String(req.body.client_key ?? '');
    if (!state.installations.some((i) => i.clientKey === clientKey && i.workspaceUuid === ws.uuid)) throw new SandboxError(404, 'No such installation.');
    await installer.uninstall(clientKey);
    res.redirect(303, `/${ws.slug}/workspace/settings?flash=${encodeURIComponent('App uninstalled.')}`);
  }));

  router.get('/:workspace/workspace/settings/addon/:appKey/:moduleKey', wrap((req, res) => {
    const user = currentUser(req, res);
    const ws = getWorkspace(state, String(req.params.workspace));
    requireAdmin(ws, user);
    const inst = installsOf(ws).find((i) => i.key === req.params.appKey);
    const module = inst && findModule(inst, String(req.params.moduleKey), ['adminPages', 'configurePage']);
    if (!inst || !module) throw new SandboxError(404, 'No such app page.');
    page(req, res, toModuleName(module), `<h1>${h(toModuleName(module))}</h1>${iframe(inst, module, { workspace: ws, user })}`,
      [{ label: ws.name, href: '/' }, { label: 'Workspace settings', href: `/${ws.slug}/workspace/settings` }, { label: toModuleName(module) }]);
  }));

  const repoNav = (ws: Workspace, repo: Repository) => {
    const full = toFullName(ctx, repo);
    const appLinks = collectModules(installsOf(ws), 'repoPages', REPO_NAV)
      .map((m) => `<a data-testid="repo-page-${h(m.module.key)}" href="/${h(full)}/addon/${h(m.installation.key)}/${h(m.module.key)}">${h(toModuleName(m.module))}</a>`).join('');
    return `<nav class="repo-nav"><a href="/${h(full)}">Source</a><a href="/${h(full)}/pull-requests">Pull requests</a><a href="/${h(full)}/pipelines" data-testid="repo-nav-pipelines">Pipelines</a>${appLinks}</nav>`;
  };
  const repoCrumbs = (ws: Workspace, repo: Repository, extra: Array<{ label: string; href?: string }> = []) => [
    { label: ws.name, href: '/' }, { label: repo.name, href: `/${toFullName(ctx, repo)}` }, ...extra,
  ];

  router.get('/:workspace/:repo', wrap((req, res) => {
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const branches = state.branches.filter((b) => b.repoUuid === repo.uuid);
    const rows = branches.map((b) => {
      const c = getCommit(state, repo, b.target);
      return `<tr><td>${h(b.name)}${b.name === repo.mainbranch ? ' ' + lozenge('main') : ''}</td><td><code>${h(c.hash.slice(0, 12))}</code> ${h(c.message.split('\n')[0])}</td><td>${userLink(c.authorUuid)}</td></tr>`;
    }).join('');
    page(req, res, repo.name, `<h1>${h(toFullName(ctx, repo))}</h1>${repoNav(ws, repo)}<p>${h(repo.description)}</p><h2>Branches</h2><table><tr><th>Branch</th><th>Last commit</th><th>Author</th></tr>${rows}</table>`, repoCrumbs(ws, repo));
  }));

  // The address Pipelines writes in its statuses (pipelines/to-pipeline-status.ts): the run is in the fragment, which
  // never reaches a server, so the page forwards to the run in the browser, as Bitbucket forwards it to its newer route
  // (before the apps' `addon/{appKey}/{moduleKey}` pages, which would otherwise take it).
  router.get('/:workspace/:repo/addon/pipelines/home', wrap((req, res) => {
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const base = JSON.stringify(`/${toFullName(ctx, repo)}/pipelines`).replace(/</g, '\\u003c');
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Pipelines</title></head><body>`
      + `<a href="/${h(toFullName(ctx, repo))}/pipelines">Pipelines</a>`
      + `<script>(function(){var m=/^#!\\/results\\/(\\d+)/.exec(location.hash);location.replace(${base}+(m?'/results/'+m[1]:''));})();</script></body></html>`);
  }));

  router.get('/:workspace/:repo/addon/:appKey/:moduleKey', wrap((req, res) => {
    const user = currentUser(req, res);
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const inst = installsOf(ws).find((i) => i.key === req.params.appKey);
    const module = inst && findModule(inst, String(req.params.moduleKey), ['repoPages', 'webPanels']);
    if (!inst || !module) throw new SandboxError(404, 'No such app page.');
    page(req, res, toModuleName(module), `<h1>${h(toFullName(ctx, repo))}</h1>${repoNav(ws, repo)}${iframe(inst, module, repoContext(ws, repo, user))}`, repoCrumbs(ws, repo, [{ label: toModuleName(module) }]));
  }));

  router.get('/:workspace/:repo/pipelines', wrap((req, res) => {
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const base = `/${toFullName(ctx, repo)}`;
    const runs = state.pipelines.filter((p) => p.repoUuid === repo.uuid);
    page(req, res, 'Pipelines', `<h1>Pipelines</h1>${repoNav(ws, repo)}${renderPipelinesList(runs, { base, lozenge, userLink })}`, repoCrumbs(ws, repo, [{ label: 'Pipelines' }]));
  }));

  router.get('/:workspace/:repo/pipelines/results/:n', wrap((req, res) => {
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const base = `/${toFullName(ctx, repo)}`;
    const run = state.pipelines.find((p) => p.repoUuid === repo.uuid && String(p.buildNumber) === req.params.n);
    if (!run) throw new SandboxError(404, `No pipeline #${String(req.params.n)} in ${toFullName(ctx, repo)}.`);
    page(req, res, `Pipeline #${run.buildNumber}`, `<h1>Pipeline #${run.buildNumber}</h1>${repoNav(ws, repo)}${renderPipelineRun(run, { base, lozenge, userLink })}`, repoCrumbs(ws, repo, [{ label: 'Pipelines', href: `${base}/pipelines` }, { label: `#${run.buildNumber}` }]));
  }));

  router.post('/:workspace/:repo/pipelines/results/:n/stop', wrap((req, res) => {
    const user = currentUser(req, res);
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const run = state.pipelines.find((p) => p.repoUuid === repo.uuid && String(p.buildNumber) === req.params.n);
    if (!run) throw new SandboxError(404, `No pipeline #${String(req.params.n)} in ${toFullName(ctx, repo)}.`);
    actions.stopPipeline({ workspace: String(req.params.workspace), repo: repo.uuid, actor: user.uuid, uuid: run.uuid });
    res.redirect(303, `/${toFullName(ctx, repo)}/pipelines/results/${run.buildNumber}?flash=${encodeURIComponent('Pipeline stopped.')}`);
  }));

  router.get('/:workspace/:repo/pull-requests', wrap((req, res) => {
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const prs = state.pullRequests.filter((p) => p.repoUuid === repo.uuid).sort((a, b) => b.id - a.id);
    const rows = prs.map((p) => `<tr><td><a href="/${h(toFullName(ctx, repo))}/pull-requests/${p.id}">#${p.id} ${h(p.title)}</a> ${p.draft ? lozenge('draft') : ''}</td><td>${lozenge(p.state)}</td><td>${userLink(p.authorUuid)}</td><td>${h(p.source.branch)} → ${h(p.destination.branch)}</td></tr>`).join('');
    page(req, res, 'Pull requests', `<h1>Pull requests</h1>${repoNav(ws, repo)}<table data-testid="pr-list"><tr><th>Title</th><th>State</th><th>Author</th><th>Branches</th></tr>${rows}</table>`, repoCrumbs(ws, repo, [{ label: 'Pull requests' }]));
  }));

  router.get('/:workspace/:repo/pull-requests/:id', wrap((req, res) => {
    const user = currentUser(req, res);
    const repo = getRepository(state, String(req.params.workspace), String(req.params.repo));
    const ws = getWorkspaceOf(state, repo);
    const pr = getPullRequest(state, repo, Number(req.params.id));
    const base = `/${toFullName(ctx, repo)}/pull-requests/${pr.id}`;
    const statuses = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === pr.source.hash);
    const me = pr.participants.find((p) => p.userUuid === user.uuid);
    const btn = (action: string, label: string, cls = 'subtle') => `<form method="post" action="${h(base)}/${action}"><button class="${cls}" data-testid="pr-${action}">${h(label)}</button></form>`;
    const buttons = pr.state !== 'OPEN' ? '' : [
      me?.approved ? btn('unapprove', 'Unapprove') : btn('approve', 'Approve'),
      me?.state === 'changes_requested' ? btn('remove-request-changes', 'Remove change request') : btn('request-changes', 'Request changes'),
      btn('merge', 'Merge', ''),
      btn('decline', 'Decline', 'danger'),
    ].join('');
    const reviewers = pr.participants.map((p) => `<li>${userLink(p.userUuid)} <span class="muted">${h(p.role.toLowerCase())}</span> ${p.state ? lozenge(p.state.replace('_', ' '), p.state) : ''}</li>`).join('') || '<li class="muted">No reviewers</li>';
    const statusRows = statuses.map((s) => `<li id="build-${h(s.key)}" data-testid="status-${h(s.key)}">${lozenge(s.state)} ${s.url ? `<a href="${h(s.url)}">${h(s.name)}</a>` : h(s.name)} <span class="muted">${h(s.description)}</span></li>`).join('') || '<li class="muted">No builds</li>';
    const panels = collectModules(installsOf(ws), 'webPanels', PR_PANEL)
      .map((m) => `<div class="card"><h2 style="margin-top:0">${h(toModuleName(m.module))}</h2>${iframe(m.installation, m.module, repoContext(ws, repo, user, pr))}</div>`).join('');
    // Rendered as Bitbucket renders them: markdown, hidden markers (HTML comments) gone, deleted comments not shown.
    const comments = state.comments.filter((c) => c.repoUuid === repo.uuid && c.prId === pr.id && !c.deleted)
      .map((c) => `<div class="card" id="comment-${c.id}" data-testid="comment"><span class="muted">${userLink(c.userUuid)} ${h(c.createdOn)}</span><div class="markdown" data-testid="comment-body">${renderMarkdown(c.raw)}</div></div>`).join('');
    page(req, res, pr.title, `
<h1>${h(pr.title)} <span class="muted">#${pr.id}</span></h1>
<p>${lozenge(pr.state)} ${pr.draft ? lozenge('draft') : ''} <code>${h(pr.source.branch)}</code> → <code>${h(pr.destination.branch)}</code> · ${userLink(pr.authorUuid)}</p>
${repoNav(ws, repo)}
<div class="actions" data-testid="pr-actions">${buttons}</div>
<div class="grid" style="margin-top:16px"><div>
<div class="card"><h2 style="margin-top:0">Description</h2><div class="markdown" data-testid="pr-description">${renderMarkdown(pr.description) || '<span class="muted">No description</span>'}</div></div>
${panels}
<h2>Comments</h2>${comments}
<form class="card" method="post" action="${h(base)}/comment"><textarea name="raw" rows="3" style="width:100%" required></textarea><br><button>Comment</button></form>
</div><div>
<div class="card"><h2 style="margin-top:0">Reviewers</h2><ul data-testid="reviewers">${reviewers}</ul></div>
<div class="card"><h2 style="margin-top:0">Builds</h2><ul data-testid="statuses">${statusRows}</ul>
<form method="post" action="${h(base)}/status" data-testid="status-form"><input name="key" placeholder="key" required maxlength="40"> <select name="state">${['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED'].map((s) => `<option>${s}</option>`).join('')}</select><br>
<input name="name" placeholder="name"> <input name="url" placeholder="url"><br><button class="subtle">Add build status</button></form></div>
</div></div>`, repoCrumbs(ws, repo, [{ label: 'Pull requests', href: `/${toFullName(ctx, repo)}/pull-requests` }, { label: `#${pr.id}` }]));
  }));

  router.post('/:workspace/:repo/pull-requests/:id/:action', wrap((req, res) => {
    const user = currentUser(req, res);
    const ref = { workspace: String(req.params.workspace), repo: String(req.params.repo), id: Number(req.params.id) };
    const repo = getRepository(state, ref.workspace, ref.repo);
    const pr = getPullRequest(state, repo, ref.id);
    const body = req.body as Record<string, string | undefined>;
    let flash = '';
    switch (req.params.action) {
      case 'approve': actions.approve(ref, user.uuid); flash = 'Approved.'; break;
      case 'unapprove': actions.unapprove(ref, user.uuid); flash = 'Approval removed.'; break;
      case 'request-changes': actions.requestChanges(ref, user.uuid); flash = 'Changes requested.'; break;
      case 'remove-request-changes': actions.removeChangeRequest(ref, user.uuid); flash = 'Change request removed.'; break;
      case 'merge': actions.merge(ref, user.uuid); flash = 'Merged.'; break;
      case 'decline': actions.decline(ref, user.uuid); flash = 'Declined.'; break;
      case 'comment': actions.addComment(ref, user.uuid, String(body.raw ?? '')); flash = 'Comment added.'; break;
      case 'status': {
        const stateValue = String(body.state ?? '');
        if (!['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED'].includes(stateValue)) throw new SandboxError(400, `Invalid state ${stateValue}`);
        actions.setCommitStatus({
          workspace: ref.workspace, repo: ref.repo, commit: pr.source.hash, actor: user.uuid, key: String(body.key ?? ''),
          // Bitbucket requires a status URL; without one, the build links to its own line on this page (it exists).
          state: stateValue as 'INPROGRESS', name: body.name || undefined,
          url: body.url || `${ctx.publicUrl.replace(/\/$/, '')}/${toFullName(ctx, repo)}/pull-requests/${pr.id}#build-${encodeURIComponent(String(body.key ?? ''))}`,
          refname: pr.source.branch,
        });
        flash = 'Build status saved.';
        break;
      }
      default: throw new SandboxError(404, `Unknown action ${String(req.params.action)}`);
    }
    res.redirect(303, `/${toFullName(ctx, repo)}/pull-requests/${pr.id}?flash=${encodeURIComponent(flash)}`);
  }));

  return router;
}
