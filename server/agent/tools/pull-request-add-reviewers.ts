import { z } from 'zod';
import { isBitbucketFailure } from '../../bitbucket';
import { findRefusedReviewer } from '../../rules';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { resolveUsers } from './resolve-users';
import { pullRequestFields, toPullRequestLinks, toWorkspace, userRef } from './tool-inputs';

export const pullRequestAddReviewers = defineTool({
  name: 'pullRequest.addReviewers',
  description: 'Add reviewers to a pull request, keeping the ones it has.',
  input: z.object({
    ...pullRequestFields,
    reviewers: z.array(userRef).min(1).max(20).describe('@nickname, {uuid} or account_id'),
  }),
  scopes: ['pullrequest:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const pr = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()}; reviewers can only be added to open ones.`);
    const wanted = await resolveUsers(ctx.client, workspace, input.reviewers);
    const authorUuid = pr.author?.uuid;
    const skippedAuthor = wanted.filter((u) => u.uuid === authorUuid);
    const existing = (pr.reviewers ?? []).flatMap((r) => (r.uuid ? [r.uuid] : []));
    const added = wanted.filter((u) => u.uuid !== authorUuid && !existing.includes(u.uuid));
    const notes = skippedAuthor.length ? ` ${skippedAuthor[0]?.displayName} is the author and cannot review.` : '';
    if (added.length === 0) {
      return { summary: `No reviewers to add to pull request #${pr.id}: they are already on it.${notes}`, links: toPullRequestLinks(pr), data: { added: [] } };
    }
    // PUT replaces the whole reviewer list, so send the existing ones too.
    const updated = await ctx.client.pullRequests
      .update(workspace, input.repo, pr.id, { reviewers: [...existing, ...added.map((u) => u.uuid)].map((uuid) => ({ uuid })) })
      .catch((error: unknown) => {
        // Bitbucket's 400 names the reviewer it refused by display name ("<name> is not a member of this
        // workspace and cannot be added to this pull request": renovatebot/renovate#13274; not in
        // openapi.json). This tool knows the names it resolved, so it says who, by uuid, and whoever
        // retries without them (the reviewer rule, once) can tell which one to drop.
        const said = isBitbucketFailure(error, 'BITBUCKET_BAD_REQUEST') ? (error.bitbucketMessage ?? '') : '';
        const refusedUuid = said && added.length > 1 ? findRefusedReviewer(said, added) : null;
        const refused = added.find((u) => u.uuid === refusedUuid);
        if (refused) throw new ToolError(`Bitbucket refused ${refused.displayName} (${refused.uuid}) as a reviewer of pull request #${pr.id}: ${said}`);
        throw error;
      });
    return {
      summary: `Added ${added.map((u) => u.displayName).join(', ')} as reviewer${added.length === 1 ? '' : 's'} of pull request #${pr.id}.${notes}`,
      links: toPullRequestLinks(updated),
      data: { added: added.map((u) => u.uuid) },
    };
  },
});
