import type { BitbucketClient } from '../../bitbucket';
import { ToolError } from '../errors';

export interface ResolvedUser {
  uuid: string;
  displayName: string;
}

const UUID = /^\{[0-9a-f-]{36}\}$/i;

/**
 * Turns `@nickname`, `{uuid}` or account_id references into workspace members. Bitbucket's API
 * has no usernames any more, so nicknames are matched against the member list.
 */
export async function resolveUsers(client: BitbucketClient, workspace: string, refs: readonly string[]): Promise<ResolvedUser[]> {
  const members = await client.workspaces.listMembers(workspace, { max: 1000 });
  const users = members.flatMap((m) => (m.user?.uuid ? [m.user] : []));
  const unknown: string[] = [];
  const out = new Map<string, ResolvedUser>();
  for (const raw of refs) {
    const ref = raw.replace(/^@/, '').trim();
    const lower = ref.toLowerCase();
    const user = users.find((u) =>
      UUID.test(ref)
        ? u.uuid?.toLowerCase() === lower
        : u.account_id === ref || u.nickname?.toLowerCase() === lower || u.display_name?.toLowerCase() === lower,
    );
    if (!user?.uuid) unknown.push(raw);
    else out.set(user.uuid, { uuid: user.uuid, displayName: user.display_name ?? ref });
  }
  if (unknown.length > 0) throw new ToolError(`No member of ${workspace} matches ${unknown.join(', ')}.`);
  return [...out.values()];
}
