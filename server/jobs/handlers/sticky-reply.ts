import { BOSUN_MARKER_PREFIX, type ToolResult } from '../../agent';
import type { AutomationDeps } from './automation-deps';
import { toToolTenant } from './automation-deps';
import type { Tenant } from '../../host';
import type { InstallationClient } from '../trigger-context';

/** Bosun keeps one comment per PR, edited in place (renovate's "ensureComment"). */
export const STICKY_KEY = 'bosun';

export interface PullRequestRef {
  repo: string;
  pullRequestId: number;
}

/**
 * Posts or edits Bosun's sticky comment as the installation, outside the audit (it is the reply, not the action).
 * `asOf`: when what the body tells of was decided (default: now); the comment is left alone if it already tells of something later.
 */
export async function ensureStickyReply(deps: AutomationDeps, tenant: Tenant, ref: PullRequestRef, body: string, client?: InstallationClient, asOf?: string | null): Promise<ToolResult> {
  const tool = deps.tools.get('pullRequest.comment');
  if (!tool) throw new Error('pullRequest.comment tool is missing from the catalog');
  const toolTenant = toToolTenant(tenant);
  return tool.run(
    {
      tenant: toolTenant,
      actor: { kind: 'installation', userUuid: null, accountId: null },
      // The trigger's memoised client when the handler has one.
      client: client ?? (await deps.clients.forInstallation(tenant.clientKey)),
      logger: deps.logger,
      now: deps.now,
    },
    { workspace: toolTenant.workspace, repo: ref.repo, pullRequestId: ref.pullRequestId, body, stickyKey: STICKY_KEY, ...(asOf ? { asOf } : {}) },
  );
}

/** Hidden marker of the one pointer Bosun leaves under a command comment. */
export function toPointerMarker(commandCommentId: number): string {
  return `${BOSUN_MARKER_PREFIX}pointer:${commandCommentId} -->`;
}

/**
 * When the thread has moved past Bosun's sticky comment (someone commented after it, besides the
 * command being answered), the person who typed the command would not see the answer: reply under
 * their command with a link to it. Once per command comment; nothing when the sticky is in view.
 */
export async function ensurePointerToSticky(
  deps: AutomationDeps,
  tenant: Tenant,
  ref: PullRequestRef,
  opts: { sticky: ToolResult; commandCommentId: number; client?: InstallationClient },
): Promise<'pointed' | 'in view'> {
  const stickyId = (opts.sticky.data as { commentId?: unknown } | undefined)?.commentId;
  if (typeof stickyId !== 'number') return 'in view';
  const workspace = toToolTenant(tenant).workspace;
  const client = opts.client ?? (await deps.clients.forInstallation(tenant.clientKey));
  const comments = await client.pullRequests.listComments(workspace, ref.repo, ref.pullRequestId, { max: 1000 });
  const marker = toPointerMarker(opts.commandCommentId);
  if (comments.some((c) => !c.deleted && c.content.raw.includes(marker))) return 'pointed';
  const after = comments.filter((c) => !c.deleted && c.id > stickyId && c.id !== opts.commandCommentId && !c.content.raw.includes(BOSUN_MARKER_PREFIX));
  if (after.length === 0) return 'in view';
  const url = opts.sticky.links[0]?.url;
  const where = url ? `[Bosun's comment above](${url})` : `Bosun's comment above (#${stickyId})`;
  await client.pullRequests.createComment(workspace, ref.repo, ref.pullRequestId, {
    content: { raw: `↑ Bosun answered in ${where}; it keeps one comment per pull request, edited in place.\n\n${marker}` },
    parent: { id: opts.commandCommentId },
  });
  return 'pointed';
}
