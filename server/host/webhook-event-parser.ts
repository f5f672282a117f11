import type { WebhookComment } from '../bitbucket/webhooks';

/** A PR comment as the edge parsed it: every field a comment command reads (the job carries it). */
export type WebhookCommentEvent = WebhookComment;

/** What the intake keeps of a webhook event besides its payload: the columns its delivery row and job are keyed by. */
export interface WebhookEventFacts {
  /** The event key, e.g. `pullrequest:comment_created`. */
  event: string;
  repositoryUuid: string;
  pullRequestId: number | null;
  /** The commit a build status is about. */
  commitHash: string | null;
  /** The comment of a `pullrequest:comment_created` event, parsed once here (null for other events). */
  comment: WebhookCommentEvent | null;
}

/**
 * Checks a host's webhook event against the schema of its key, once, at the edge; throws an error
 * of the model (400) for an unsupported key or a payload that lacks what Bosun reads. Bitbucket's
 * webhook schemas implement it; web/ depends on this port only.
 */
export type WebhookEventParser = (event: string, data: unknown) => WebhookEventFacts;
