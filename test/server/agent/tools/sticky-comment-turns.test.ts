import { describe, expect, it } from 'vitest';
import type { BitbucketClient } from '../../../../server/bitbucket';
import type { ToolContext } from '../../../../server/agent';
import { pullRequestComment } from '../../../../server/agent/tools/pull-request-comment';
import { createLogger } from '../../../../server/log';

interface StoredComment { id: number; deleted: boolean; content: { raw: string } }

/**
 * A Bitbucket holding one PR's comments whose second list answers late (a slow round trip): it answers
 * with what the comments were when it was asked, as a real GET does.
 */
function slowSecondList() {
  const comments: StoredComment[] = [];
  let lists = 0;
  const client = {
    pullRequests: {
      async listComments() {
        const snapshot = comments.map((c) => ({ ...c, content: { ...c.content } }));
        if (++lists === 2) await new Promise((r) => setTimeout(r, 60));
        return snapshot;
      },
      async createComment(_w: string, _r: string, _id: number, body: { content: { raw: string } }) {
        const c = { id: comments.length + 1, deleted: false, content: body.content };
        comments.push(c);
        return c;
      },
      async updateComment(_w: string, _r: string, _id: number, commentId: number, body: { content: { raw: string } }) {
        const c = comments.find((x) => x.id === commentId)!;
        c.content = body.content;
        return c;
      },
    },
  } as unknown as BitbucketClient;
  return { client, comments };
}

describe('sticky comment writers of one process', () => {
  const ctx = (client: BitbucketClient): ToolContext => ({
    tenant: { clientKey: 'ck-sticky', workspace: 'acme' },
    actor: { userUuid: null, accountId: null, kind: 'rule' },
    client,
    logger: createLogger({ level: 'silent' }),
    now: () => new Date('2026-12-02T10:00:00Z'),
  });
  const write = (client: BitbucketClient, body: string, asOf: string) =>
    pullRequestComment.run(ctx(client), { repo: 'web', pullRequestId: 1, body, stickyKey: 'queue', asOf });

  it('take turns: an older body whose read was slow never overwrites a newer one written meanwhile', async () => {
    const { client, comments } = slowSecondList();
    await write(client, 'Queued', '2026-12-02T09:00:00.000Z');
    // The reply about the queueing (older event) reads slowly; the merged notice (newer) is written meanwhile.
    const reply = write(client, 'Queued (reply)', '2026-12-02T09:00:01.000Z');
    await new Promise((r) => setTimeout(r, 5));
    const merged = write(client, 'Merged', '2026-12-02T09:05:00.000Z');
    await Promise.all([reply, merged]);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.content.raw).toMatch(/^Merged/);
  });
});
