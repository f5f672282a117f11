import { z } from 'zod';

/**
 * Webhook payload schemas: only the fields Bosun reads are checked. Unknown fields are accepted but
 * not copied into the parse's output (zod's default strip mode): the intake stores the payload as
 * received and reads only the facts below, and copying every other field of a real payload at each
 * level cost 4x the parse (a 13 KB pullrequest:approved sample: 12 us with passthrough, 3 us strip).
 * Shapes: https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/
 */
const link = z.object({ href: z.string() });

export const webhookActorSchema = z
  .object({
    type: z.string(),
    uuid: z.string().optional(),
    account_id: z.string().optional(),
    display_name: z.string().optional(),
    nickname: z.string().optional(),
  });

export const webhookRepositorySchema = z
  .object({
    type: z.literal('repository'),
    uuid: z.string(),
    full_name: z.string(),
    name: z.string().optional(),
    links: z.object({ html: link.optional() }).optional(),
  });

const endpoint = z
  .object({
    branch: z.object({ name: z.string() }).nullable().optional(),
    commit: z.object({ hash: z.string() }).nullable().optional(),
  });

export const webhookPullRequestSchema = z
  .object({
    type: z.literal('pullrequest'),
    id: z.number().int(),
    title: z.string(),
    state: z.enum(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']),
    author: webhookActorSchema.optional(),
    source: endpoint,
    destination: endpoint,
    participants: z
      .array(
        z
          .object({
            role: z.string(),
            approved: z.boolean(),
            state: z.string().nullable().optional(),
            user: webhookActorSchema,
          })
          ,
      )
      .optional(),
  });

export const webhookCommitStatusSchema = z
  .object({
    key: z.string(),
    type: z.string(),
    state: z.enum(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']),
    name: z.string().nullable().optional(),
    url: z.string().nullable().optional(),
    refname: z.string().nullable().optional(),
    commit: z.object({ hash: z.string() }),
  });

// The rule automations read a new head's target (its commit message) from the parsed push: kept as is, unchecked.
const pushRef = z.object({ type: z.string(), name: z.string(), target: z.unknown().optional() }).nullable();
export const webhookPushSchema = z
  .object({
    changes: z.array(
      z
        .object({
          new: pushRef.optional(),
          old: pushRef.optional(),
          created: z.boolean(),
          closed: z.boolean(),
          forced: z.boolean(),
        })
        ,
    ),
  });

const base = { actor: webhookActorSchema, repository: webhookRepositorySchema };
const pullRequestEvent = z.object({ ...base, pullrequest: webhookPullRequestSchema });

/** Event key → schema of its (unwrapped) data. */
export const webhookDataSchemas = {
  'pullrequest:created': pullRequestEvent,
  'pullrequest:updated': pullRequestEvent,
  'pullrequest:approved': pullRequestEvent.extend({ approval: z.object({ user: webhookActorSchema }) }),
  'pullrequest:unapproved': pullRequestEvent.extend({ approval: z.object({ user: webhookActorSchema }) }),
  'pullrequest:changes_request_created': pullRequestEvent,
  'pullrequest:changes_request_removed': pullRequestEvent,
  'pullrequest:fulfilled': pullRequestEvent,
  'pullrequest:rejected': pullRequestEvent,
  // Every field a `/bosun` command reads (toWebhookComment): the job carries them, nobody re-reads the delivery.
  'pullrequest:comment_created': pullRequestEvent.extend({
    pullrequest: webhookPullRequestSchema.extend({ reviewers: z.array(webhookActorSchema).optional() }),
    comment: z
      .object({ id: z.number().int(), content: z.object({ raw: z.string() }), user: webhookActorSchema.optional() })
      ,
  }),
  'repo:push': z.object({ ...base, push: webhookPushSchema }),
  'repo:commit_status_created': z.object({ ...base, commit_status: webhookCommitStatusSchema }),
  'repo:commit_status_updated': z.object({ ...base, commit_status: webhookCommitStatusSchema }),
} as const;

export type WebhookEventKey = keyof typeof webhookDataSchemas;

function isWebhookEventKey(key: string): key is WebhookEventKey {
  return Object.hasOwn(webhookDataSchemas, key);
}

/** An account as a webhook names it, camelCase. */
export interface WebhookAccount {
  type: string;
  uuid: string | null;
  accountId: string | null;
  displayName: string | null;
  nickname: string | null;
}

/** What a `pullrequest:comment_created` event tells, parsed once at the edge: every field a PR comment command reads. */
export interface WebhookComment {
  actor: WebhookAccount;
  repository: { uuid: string; fullName: string };
  pullRequest: {
    id: number;
    title: string;
    sourceBranch: string | null;
    destinationBranch: string | null;
    author: WebhookAccount | null;
    participants: WebhookAccount[];
    reviewers: WebhookAccount[];
  };
  comment: { id: number; raw: string; author: WebhookAccount | null };
}

export interface ParsedWebhook {
  event: WebhookEventKey;
  repositoryUuid: string;
  pullRequestId: number | null;
  /** The commit a build status is about (repo:commit_status_*). */
  commitHash: string | null;
  /** The comment of a `pullrequest:comment_created` event (null for every other event). */
  comment: WebhookComment | null;
}

type WebhookActor = z.infer<typeof webhookActorSchema>;

function toWebhookAccount(a: WebhookActor): WebhookAccount {
  return { type: a.type, uuid: a.uuid ?? null, accountId: a.account_id ?? null, displayName: a.display_name ?? null, nickname: a.nickname ?? null };
}

type CommentCreatedData = z.infer<(typeof webhookDataSchemas)['pullrequest:comment_created']>;

function toWebhookComment(data: CommentCreatedData): WebhookComment {
  const pr = data.pullrequest;
  return {
    actor: toWebhookAccount(data.actor),
    repository: { uuid: data.repository.uuid, fullName: data.repository.full_name },
    pullRequest: {
      id: pr.id,
      title: pr.title,
      sourceBranch: pr.source.branch?.name ?? null,
      destinationBranch: pr.destination.branch?.name ?? null,
      author: pr.author ? toWebhookAccount(pr.author) : null,
      participants: (pr.participants ?? []).map((p) => toWebhookAccount(p.user)),
      reviewers: (pr.reviewers ?? []).map(toWebhookAccount),
    },
    comment: { id: data.comment.id, raw: data.comment.content.raw, author: data.comment.user ? toWebhookAccount(data.comment.user) : null },
  };
}

export class WebhookPayloadError extends Error {
  readonly code = 'WEBHOOK_PAYLOAD_INVALID' as const;
  readonly httpStatus = 400;
  readonly retryable = false;
  readonly retryAfterMs = null;
}

/** Validates an unwrapped payload for its event key. */
export function parseWebhookData(event: string, data: unknown): ParsedWebhook {
  if (!isWebhookEventKey(event)) throw new WebhookPayloadError(`Unsupported webhook event "${event}"`);
  const parsed = webhookDataSchemas[event].safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).slice(0, 5).join('; ');
    throw new WebhookPayloadError(`Invalid ${event} payload: ${where}`);
  }
  const value = parsed.data as { repository: { uuid: string }; pullrequest?: { id: number }; commit_status?: { commit: { hash: string } } };
  // The schema of this key checked every field the comment reads.
  const comment = event === 'pullrequest:comment_created' ? toWebhookComment(parsed.data as CommentCreatedData) : null;
  // Only the events whose schema checked a field may read it: other events pass unknown fields through unchecked.
  const isPullRequestEvent = event.startsWith('pullrequest:');
  const isCommitStatusEvent = event.startsWith('repo:commit_status_');
  return {
    event,
    repositoryUuid: value.repository.uuid,
    pullRequestId: isPullRequestEvent ? (value.pullrequest?.id ?? null) : null,
    commitHash: isCommitStatusEvent ? (value.commit_status?.commit.hash ?? null) : null,
    comment,
  };
}
