import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineTool, type StepAttempt } from './tool';
import { pullRequestFields, toWorkspace } from './tool-inputs';

/** The hidden marker that finds Bosun's earlier comment (renovate's `ensureComment` pattern). */
/** Every hidden marker Bosun puts in its comments starts with this: a comment carrying it is Bosun's own. */
export const BOSUN_MARKER_PREFIX = '<!-- bosun:';

export function toStickyMarker(key: string): string {
  return `${BOSUN_MARKER_PREFIX}sticky:${key} -->`;
}

/**
 * The hidden stamp of a sticky comment: when the event its body tells of happened. Writers of one
 * sticky comment (a command's reply, the merge queue's notices) run in different jobs and finish in
 * any order; a writer never replaces a body about a later event than its own.
 */
export function toAsOfMarker(asOf: string): string {
  return `${BOSUN_MARKER_PREFIX}as-of:${asOf} -->`;
}

const AS_OF_PATTERN = new RegExp(`${BOSUN_MARKER_PREFIX}as-of:([0-9TZ:.+-]+) -->`);

/** The stamp a sticky comment carries (ms since the epoch), or null for one written before stamps. */
export function readAsOf(raw: string): number | null {
  const found = AS_OF_PATTERN.exec(raw)?.[1];
  const ms = found ? Date.parse(found) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The hidden marker of a one-off comment: the step's idempotency key, hashed (keys name people and
 * deliveries, and must not be able to close the HTML comment). A retried step finds its comment by it.
 */
export function toStepMarker(step: Pick<StepAttempt, 'idempotencyKey'>): string {
  const digest = createHash('sha256').update(step.idempotencyKey).digest('base64url').slice(0, 22);
  return `${BOSUN_MARKER_PREFIX}step:${digest} -->`;
}

/**
 * Writers of one sticky comment in this process take turns: a list and its update are one step for
 * the others, so an older body never lands between a newer writer's read and write (Bitbucket's
 * comment update has no compare-and-set: openapi.json's PUT …/comments/{comment_id} takes no version).
 * Writers in other instances are not held: there the stamp check narrows the race to one round trip.
 */
const stickyTurns = new Map<string, Promise<unknown>>();
async function inStickyTurn<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = stickyTurns.get(key) ?? Promise.resolve();
  const mine = before.then(fn, fn);
  const settled = mine.then(() => undefined, () => undefined);
  stickyTurns.set(key, settled);
  try {
    return await mine;
  } finally {
    if (stickyTurns.get(key) === settled) stickyTurns.delete(key);
  }
}

export const pullRequestComment = defineTool({
  name: 'pullRequest.comment',
  description:
    'Comment on a pull request. With stickyKey, Bosun edits its earlier comment with the same key instead of adding another.',
  input: z.object({
    ...pullRequestFields,
    body: z.string().min(1).max(30_000).describe('Markdown'),
    stickyKey: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'letters, digits, . _ - only')
      .optional()
      .describe('Keep one comment per key, edited in place'),
    asOf: z
      .iso.datetime({ offset: true })
      .optional()
      .describe('With stickyKey: when the event the body tells of happened (default: now); a comment about a later event is kept'),
  }),
  scopes: ['pullrequest'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const { repo, pullRequestId } = input;
    if (input.stickyKey === undefined) {
      const posted = (comment: { id: number; links?: { html?: { href: string } | undefined } | undefined }) => ({
        summary: `Commented on pull request #${pullRequestId}.`,
        links: commentLinks(comment),
        data: { commentId: comment.id, created: true },
      });
      if (ctx.step === undefined) return posted(await ctx.client.pullRequests.createComment(workspace, repo, pullRequestId, { content: { raw: input.body } }));
      // Safe to repeat: the comment carries its step's key, and a step that may already have run
      // (its process died after Bitbucket answered) looks for it first. A first run does not look.
      const marker = toStepMarker(ctx.step);
      if (ctx.step.mayBeApplied) {
        const comments = await ctx.client.pullRequests.listComments(workspace, repo, pullRequestId, { max: 1000 });
        const earlier = comments.find((c) => !c.deleted && c.content.raw.includes(marker));
        if (earlier) return posted(earlier);
      }
      return posted(await ctx.client.pullRequests.createComment(workspace, repo, pullRequestId, { content: { raw: `${input.body}\n\n${marker}` } }));
    }
    const marker = toStickyMarker(input.stickyKey);
    const asOf = input.asOf ?? ctx.now().toISOString();
    const raw = `${input.body}\n\n${marker}\n${toAsOfMarker(asOf)}`;
    return inStickyTurn(`${ctx.tenant.clientKey}\n${workspace}\n${repo}\n${pullRequestId}\n${input.stickyKey}`, async () => {
      const comments = await ctx.client.pullRequests.listComments(workspace, repo, pullRequestId, { max: 1000 });
      const earlier = comments.find((c) => !c.deleted && c.content.raw.includes(marker));
      if (earlier) {
        // Ordered writes: what the comment says now is about a later event than this body (a queue
        // notice written while a command's reply was on its way), so it stays. Equal stamps: the later
        // writer wins (a command's reply after the queue's notice of the same event).
        // Writers of this process take turns (inStickyTurn); across instances, two whose list and update
        // interleave remain (one round trip wide).
        const current = readAsOf(earlier.content.raw);
        if (current !== null && current > Date.parse(asOf)) {
          return { summary: `Bosun's comment on pull request #${pullRequestId} already tells of something later; kept.`, links: commentLinks(earlier), data: { commentId: earlier.id, created: false, kept: true } };
        }
        if (earlier.content.raw === raw) {
          return { summary: `Comment on pull request #${pullRequestId} is already up to date.`, links: commentLinks(earlier), data: { commentId: earlier.id, created: false } };
        }
        const updated = await ctx.client.pullRequests.updateComment(workspace, repo, pullRequestId, earlier.id, { content: { raw } });
        return { summary: `Updated Bosun's comment on pull request #${pullRequestId}.`, links: commentLinks(updated), data: { commentId: updated.id, created: false } };
      }
      const comment = await ctx.client.pullRequests.createComment(workspace, repo, pullRequestId, { content: { raw } });
      return { summary: `Commented on pull request #${pullRequestId}.`, links: commentLinks(comment), data: { commentId: comment.id, created: true } };
    });
  },
});

function commentLinks(comment: { id: number; links?: { html?: { href: string } | undefined } | undefined }) {
  const href = comment.links?.html?.href;
  return href ? [{ label: 'Comment', url: href }] : [];
}
