import { z } from 'zod';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace, userRef } from './tool-inputs';
import { resolveUsers } from './resolve-users';

/** `defaultReviewer.add`: people added to every new pull request of a repository. Safe to repeat (Bitbucket's PUT is). */
export const defaultReviewerAdd = defineTool({
  name: 'defaultReviewer.add',
  description: "Make people default reviewers of a repository (added to every new pull request), keeping the ones it has.",
  input: z.object({ ...repoFields, users: z.array(userRef).min(1).max(20).describe('@nickname, {uuid} or account_id') }),
  scopes: ['repository:admin'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const wanted = await resolveUsers(ctx.client, workspace, input.users);
    const have = new Set((await ctx.client.defaultReviewers.list(workspace, input.repo)).flatMap((a) => (a.uuid ? [a.uuid.toLowerCase()] : [])));
    const added = wanted.filter((u) => !have.has(u.uuid.toLowerCase()));
    for (const user of added) await ctx.client.defaultReviewers.add(workspace, input.repo, user.uuid);
    const name = toRepoName(input, ctx.tenant);
    const already = wanted.filter((u) => have.has(u.uuid.toLowerCase())).map((u) => u.displayName);
    return {
      summary:
        added.length === 0
          ? `${already.join(', ')} ${already.length === 1 ? 'is' : 'are'} already a default reviewer of ${name}; nothing changed.`
          : `${added.map((u) => u.displayName).join(', ')} ${added.length === 1 ? 'is' : 'are'} now a default reviewer of ${name}.`,
      links: [],
      data: { added: added.map((u) => u.uuid) },
    };
  },
});
