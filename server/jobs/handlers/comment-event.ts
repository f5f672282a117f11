import { z } from 'zod';
import type { PlannerFacts } from '../../agent';
import { PermanentJobError } from '../errors';
import type { Job } from '../job-queue';
import type { WebhookDeliveryStore } from '../webhook-delivery-store';

const jobSchema = z.object({ requestUuid: z.string().min(1) });

const account = z.looseObject({ type: z.string().optional(), uuid: z.string().optional(), account_id: z.string().nullish(), display_name: z.string().optional(), nickname: z.string().nullish() });

/** Every field of a `pullrequest:comment_created` delivery a comment command reads, checked once when its job starts. */
export const commentEventSchema = z.looseObject({
  actor: account,
  repository: z.looseObject({ uuid: z.string(), full_name: z.string() }),
  pullrequest: z.looseObject({
    id: z.number().int(),
    title: z.string().optional(),
    source: z.looseObject({ branch: z.looseObject({ name: z.string() }).optional() }).optional(),
    destination: z.looseObject({ branch: z.looseObject({ name: z.string() }).optional() }).optional(),
    author: account.optional(),
    participants: z.array(z.looseObject({ user: account.optional() })).optional(),
    reviewers: z.array(account).optional(),
  }),
  comment: z.looseObject({ id: z.number(), content: z.looseObject({ raw: z.string() }), user: account.optional() }),
});

export interface CommentEvent {
  /** The webhook delivery (X-Request-UUID) the comment came in: the command's idempotency key. */
  requestUuid: string;
  data: z.infer<typeof commentEventSchema>;
}

/** The comment job's delivery id, for the trigger context's logger and client. */
export function toRequestUuid(job: Job): string | null {
  const parsed = jobSchema.safeParse(job.payload);
  return parsed.success ? parsed.data.requestUuid : null;
}

/** Loads the job's stored delivery once and parses it; a delivery that is gone or unusable fails the job for good. */
export function createCommentEventLoader(deliveries: WebhookDeliveryStore) {
  return async (job: Job): Promise<CommentEvent> => {
    const payload = jobSchema.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError('The webhook.comment job payload is not valid');
    const { requestUuid } = payload.data;
    const delivery = await deliveries.getByRequestUuid(job.clientKey, requestUuid);
    if (!delivery) throw new PermanentJobError(`Delivery ${requestUuid} is gone (uninstalled?)`);
    const parsed = commentEventSchema.safeParse(delivery.payload);
    if (!parsed.success) throw new PermanentJobError('The comment webhook payload lacks the fields a command needs');
    return { requestUuid, data: parsed.data };
  };
}

/** What the PR shows, for `/bosun ask …` ("the source branch", "ada") and commands on the source branch. */
export function toPlannerFacts(event: CommentEvent['data']): PlannerFacts {
  const pr = event.pullrequest;
  const accounts = [pr.author, ...(pr.participants ?? []).map((p) => p.user), ...(pr.reviewers ?? [])].filter(
    (a): a is NonNullable<typeof a> => a !== undefined && a.type !== 'app_user',
  );
  const people = [...new Map(accounts.map((a) => [a.uuid ?? a.nickname ?? a.display_name, a])).values()].map((a) => ({
    nickname: a.nickname ?? null,
    displayName: a.display_name ?? null,
    uuid: a.uuid ?? null,
  }));
  return {
    pullRequest: {
      ...(pr.title ? { title: pr.title } : {}),
      ...(pr.source?.branch?.name ? { sourceBranch: pr.source.branch.name } : {}),
      ...(pr.destination?.branch?.name ? { destinationBranch: pr.destination.branch.name } : {}),
    },
    people,
  };
}
