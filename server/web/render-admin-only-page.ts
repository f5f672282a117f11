import { escapeHtml } from './escape-html';

/**
 * What someone who is not a workspace admin sees in place of Bosun's admin settings: a plain page
 * that says why, inside the Bitbucket iframe (all.js lets the host size the frame).
 */
export function renderAdminOnlyPage(input: { workspaceName: string | null; hostScriptUrl: string }): string {
  const workspace = input.workspaceName ? `the ${escapeHtml(input.workspaceName)} workspace` : 'this workspace';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Only workspace admins</title>
<style>body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#172b4d;margin:16px;line-height:1.45}h1{font-size:1.25rem;margin:0 0 8px}</style>
<script src="${escapeHtml(input.hostScriptUrl)}"></script></head>
<body><main data-testid="admin-only"><h1>Only workspace admins can open Bosun's settings</h1>
<p>Bitbucket says you are not an admin of ${workspace}. Bosun's settings, webhook deliveries and audit log are shown to workspace admins only.</p>
<p>Ask an admin of ${workspace} if you need something changed.</p></main></body></html>`;
}
