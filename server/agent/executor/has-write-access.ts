import { isBitbucketFailure, type BitbucketClient } from '../../bitbucket';

/**
 * Whether a person may change things in this workspace, as Bitbucket sees it: its workspace
 * permission is owner or member (collaborators and outsiders may not). Asked as the installation,
 * so it works for people who never connected their own account.
 */
export async function hasWriteAccess(client: BitbucketClient, workspace: string, userUuid: string): Promise<boolean> {
  try {
    const entries = await client.workspaces.listPermissions(workspace, { q: `user.uuid="${userUuid}"` });
    return entries.some((e) => e.user?.uuid === userUuid && (e.permission === 'owner' || e.permission === 'member'));
  } catch (err) {
    // Without the right to read permissions Bosun cannot vouch for anyone: refuse rather than guess.
    if (isBitbucketFailure(err, 'BITBUCKET_FORBIDDEN')) return false;
    throw err;
  }
}
