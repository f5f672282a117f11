import { z } from 'zod';
import type { MergeQueuePort } from './merge-queue-port';
import { requireWorkspaceAdmin } from './merge-queue-target';
import { defineTool } from './tool';
import { branchName, repoFields, toRepoName, toWorkspace } from './tool-inputs';

const input = z.object({ ...repoFields, branch: branchName.describe('The destination branch whose queue to freeze or unfreeze') });

/**
 * The freeze switch of a branch's queue, for workspace admins: frozen, nothing new starts and
 * nothing lands (running checks go on); unfrozen, the queue carries on where it was.
 */
function createFreezeTool(deps: { mergeQueue: MergeQueuePort }, frozen: boolean) {
  return defineTool({
    name: frozen ? 'mergeQueue.freeze' : 'mergeQueue.unfreeze',
    description: frozen
      ? "Freeze a branch's merge queue (workspace admins): nothing lands until it is unfrozen."
      : "Unfreeze a branch's merge queue (workspace admins): queued pull requests land again.",
    input,
    scopes: ['pullrequest'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, i) {
      await requireWorkspaceAdmin(ctx, toWorkspace(i, ctx.tenant), frozen ? 'freeze a merge queue' : 'unfreeze a merge queue');
      const key = { clientKey: ctx.tenant.clientKey, repository: toRepoName(i, ctx.tenant), branch: i.branch };
      const answer = await deps.mergeQueue.submit(key, { type: 'configure', settings: { frozen } }, { resume: ctx.step?.mayBeApplied ?? false });
      const { freeze } = answer.summary;
      const stillFrozen = !frozen && freeze.frozen;
      return {
        summary: frozen
          ? `Froze the ${i.branch} merge queue of ${key.repository}: ${answer.summary.entries.length} queued, nothing lands until it is unfrozen.`
          : stillFrozen
            ? `Unfroze the switch of the ${i.branch} queue, but a freeze window holds it${freeze.until ? ` until ${freeze.until}` : ''}.`
            : `Unfroze the ${i.branch} merge queue of ${key.repository}.`,
        links: [],
        data: { frozen: freeze.frozen, until: freeze.until },
      };
    },
  });
}

export const createMergeQueueFreeze = (deps: { mergeQueue: MergeQueuePort }) => createFreezeTool(deps, true);
export const createMergeQueueUnfreeze = (deps: { mergeQueue: MergeQueuePort }) => createFreezeTool(deps, false);
