import type { ToolResult } from '../../agent';
import type { AutomationDeps } from './automation-deps';
import { toToolTenant } from './automation-deps';
import type { Tenant } from '../../storage';

/** Bosun keeps one comment per PR, edited in place (renovate's "ensureComment"). */
export const STICKY_KEY = 'bosun';

export interface PullRequestRef {
  repo: string;
  pullRequestId: number;
}

/** Posts or edits Bosun's sticky comment as the installation, outside the audit (it is the reply, not the action). */
export async function ensureStickyReply(deps: AutomationDeps, tenant: Tenant, ref: PullRequestRef, body: string): Promise<ToolResult> {
  const tool = deps.tools.get('pullRequest.comment');
  if (!tool) throw new Error('pullRequest.comment tool is missing from the catalog');
  const toolTenant = toToolTenant(tenant);
  return tool.run(
    {
      tenant: toolTenant,
      actor: { kind: 'installation', userUuid: null, accountId: null },
      client: await deps.clients.forInstallation(tenant.clientKey),
      logger: deps.logger,
      now: deps.now,
    },
    { workspace: toolTenant.workspace, repo: ref.repo, pullRequestId: ref.pullRequestId, body, stickyKey: STICKY_KEY },
  );
}
