import type { User } from '../state/types';
import { escapeHtml } from './escape-html';

export interface LayoutInput {
  title: string;
  user: User;
  users: User[];
  currentPath: string;
  body: string;
  breadcrumbs?: Array<{ label: string; href?: string }>;
  flash?: string;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#172b4d;background:#f7f8f9}
a{color:#0c66e4;text-decoration:none}a:hover{text-decoration:underline}
header{background:#0052cc;color:#fff;display:flex;align-items:center;gap:16px;padding:0 20px;height:52px}
header a{color:#fff;font-weight:600}header .spacer{flex:1}header form{margin:0}header select{padding:4px}
main{max-width:1100px;margin:0 auto;padding:20px}
.crumbs{color:#626f86;margin-bottom:8px}.crumbs a{color:#626f86}
h1{font-size:24px;margin:4px 0 16px}h2{font-size:16px;margin:24px 0 8px}
.card{background:#fff;border:1px solid #dcdfe4;border-radius:6px;padding:16px;margin-bottom:16px}
table{width:100%;border-collapse:collapse;background:#fff}td,th{text-align:left;padding:8px;border-bottom:1px solid #ebecf0}th{color:#626f86;font-weight:600;font-size:12px;text-transform:uppercase}
.lozenge{display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;background:#dfe1e6;color:#44546f}
.l-OPEN,.l-INPROGRESS{background:#cce0ff;color:#0055cc}.l-MERGED,.l-SUCCESSFUL,.l-approved{background:#baf3db;color:#216e4e}.l-DECLINED,.l-FAILED,.l-changes_requested{background:#ffd5d2;color:#ae2e24}.l-STOPPED,.l-draft{background:#f8e6a0;color:#7f5f01}
button,.button{background:#0c66e4;color:#fff;border:0;border-radius:3px;padding:6px 12px;font-weight:600;cursor:pointer}button.subtle{background:#f1f2f4;color:#172b4d}button.danger{background:#c9372c}
.actions{display:flex;gap:8px;flex-wrap:wrap}.actions form{margin:0}
input,select,textarea{font:inherit;padding:5px 8px;border:1px solid #8590a2;border-radius:3px}
nav.repo-nav{display:flex;gap:12px;margin-bottom:16px;flex-wrap:wrap}nav.repo-nav a{padding:4px 8px;border-radius:3px;background:#e9f2ff}
.banner{padding:8px 12px;border-radius:3px;margin-bottom:8px;background:#e9f2ff}.banner-success{background:#dcfff1}.banner-warning{background:#fff7d6}.banner-error{background:#ffeceb}
iframe[data-connect-iframe]{width:100%;border:0;min-height:60px;display:block}
.avatar{width:20px;height:20px;border-radius:50%;vertical-align:middle;margin-right:4px}
.muted{color:#626f86}.grid{display:grid;grid-template-columns:2fr 1fr;gap:16px}
`;

/** The sandbox's icon (a bucket-blue square): pages link it, and /favicon.ico answers it too, so browsers find one. */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0052cc"/><path d="M8 9h16l-2.5 14h-11z" fill="#fff"/></svg>';

export function renderLayout(input: LayoutInput): string {
  const options = input.users
    .map((u) => `<option value="${escapeHtml(u.nickname)}"${u.uuid === input.user.uuid ? ' selected' : ''}>${escapeHtml(u.displayName)} (${escapeHtml(u.nickname)})</option>`)
    .join('');
  const crumbs = (input.breadcrumbs ?? [])
    .map((c) => (c.href ? `<a href="${escapeHtml(c.href)}">${escapeHtml(c.label)}</a>` : escapeHtml(c.label)))
    .join(' / ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · Bitbucket sandbox</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${CSS}</style></head>
<body>
<header><a href="/">Bitbucket <span class="muted" style="color:#cce0ff">sandbox</span></a><a href="/acme/workspace/settings">Workspace settings</a><span class="spacer"></span>
<form method="get" action="${escapeHtml(input.currentPath)}" data-testid="user-switcher"><label>Signed in as <select name="as" onchange="this.form.submit()">${options}</select></label><noscript><button>Switch</button></noscript></form></header>
<main>
${crumbs ? `<div class="crumbs">${crumbs}</div>` : ''}
<div id="ap-messages">${input.flash ? `<div class="banner banner-info">${escapeHtml(input.flash)}</div>` : ''}</div>
${input.body}
</main>
<script src="/sandbox/host.js"></script>
</body></html>`;
}
