import { isBitbucketFailure, type BitbucketClient } from '../../bitbucket';
import type { RepositorySettingChange } from '../../policies/diff-repository-settings';

/**
 * Makes one change of a template diff in Bitbucket. Each is safe to repeat: the diff that listed
 * it was computed from Bitbucket's state, and a repeat after the write landed finds the setting
 * in place and is no longer listed. A main branch that does not exist yet is created at the
 * current main branch's head first (Bitbucket refuses a main branch it does not have).
 */
export async function applySettingChange(client: BitbucketClient, workspace: string, repoSlug: string, change: RepositorySettingChange): Promise<void> {
  switch (change.setting) {
    case 'isPrivate':
      await client.repositories.update(workspace, repoSlug, { is_private: change.to });
      return;
    case 'description':
      await client.repositories.update(workspace, repoSlug, { description: change.to });
      return;
    case 'mainBranch': {
      const exists = await client.branches.get(workspace, repoSlug, change.to).then(
        () => true,
        (error: unknown) => {
          if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return false;
          throw error;
        },
      );
      if (!exists && change.from) {
        const head = await client.branches.get(workspace, repoSlug, change.from);
        if (head.target?.hash) await client.branches.create(workspace, repoSlug, { name: change.to, target: { hash: head.target.hash } });
      }
      await client.repositories.update(workspace, repoSlug, { mainbranch: { name: change.to } });
      return;
    }
    case 'branchRestriction': {
      const body = {
        kind: change.kind,
        branch_match_kind: 'glob' as const,
        pattern: change.pattern,
        ...(change.to.value !== null ? { value: change.to.value } : {}),
        users: change.to.users.map((uuid) => ({ uuid })),
        groups: change.to.groups.map((slug) => ({ slug })),
      };
      if (change.action === 'update' && change.id !== undefined) await client.branchRestrictions.update(workspace, repoSlug, change.id, body);
      else await client.branchRestrictions.create(workspace, repoSlug, body);
      return;
    }
    case 'defaultReviewer':
      await client.defaultReviewers.add(workspace, repoSlug, change.uuid);
      return;
    case 'webhook': {
      const body = { description: change.to.description, url: change.to.url, active: change.to.active, events: change.to.events };
      if (change.action === 'update' && change.uuid) await client.webhooks.update(workspace, repoSlug, change.uuid, body);
      else await client.webhooks.create(workspace, repoSlug, body);
      return;
    }
    case 'pipelinesEnabled':
      await client.pipelinesConfig.update(workspace, repoSlug, { enabled: change.to });
      return;
    case 'mergeStrategies':
      // No API: the diff lists it as manual and it is never handed here.
      return;
  }
}
