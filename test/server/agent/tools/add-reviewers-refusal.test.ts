import { describe, expect, it } from 'vitest';
import type { ToolContext } from '../../../../server/agent';
import { ToolError } from '../../../../server/agent/errors';
import { pullRequestAddReviewers } from '../../../../server/agent/tools/pull-request-add-reviewers';
import { BadRequestError, type BitbucketClient } from '../../../../server/bitbucket';
import { createLogger } from '../../../../server/log';

const CAROL = '{ca201000-0000-4000-8000-000000000003}';
const DAVE = '{da7e0000-0000-4000-8000-000000000004}';

/** A PR whose reviewer update Bitbucket answers 400 naming one person by display name, as Bitbucket Cloud words it. */
function bitbucket(answer: string | null) {
  const client = {
    pullRequests: {
      get: async () => ({ id: 7, state: 'OPEN', author: { uuid: '{a}' }, reviewers: [], links: {} }),
      update: async () => {
        throw new BadRequestError('Bitbucket answered 400', { method: 'PUT', path: '/repositories/acme/web/pullrequests/7' }, answer);
      },
    },
    workspaces: {
      listMembers: async () => [
        { user: { uuid: CAROL, display_name: 'Carol Danvers', nickname: 'carol' } },
        { user: { uuid: DAVE, display_name: 'Dave Lister', nickname: 'dave' } },
      ],
    },
  } as unknown as BitbucketClient;
  const ctx: ToolContext = { tenant: { clientKey: 'ck', workspace: 'acme' }, actor: { userUuid: null, accountId: null, kind: 'rule' }, client, logger: createLogger({ level: 'silent' }), now: () => new Date() };
  return (reviewers: string[]) => pullRequestAddReviewers.run(ctx, { repo: 'web', pullRequestId: 7, reviewers });
}

describe('pullRequest.addReviewers when Bitbucket refuses one of several reviewers', () => {
  it('names the refused person by uuid (Bitbucket names them by display name)', async () => {
    const add = bitbucket('reviewers: Carol Danvers is not a member of this workspace and cannot be added to this pull request');
    const error = await add([CAROL, DAVE]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain(CAROL);
    expect((error as Error).message).not.toContain(DAVE);
  });

  it("keeps Bitbucket's own error when its message names nobody it added", async () => {
    const error = await bitbucket('Malformed reviewers list')([CAROL, DAVE]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
  });
});
