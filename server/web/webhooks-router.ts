import type { IRouter } from 'express';
import { z } from 'zod';
import type { HostAuthenticator, HostRequest, WebhookEventParser } from '../host';
import type { DeliveryIntake } from '../jobs';
import type { Logger } from '../log';
import { storableText } from './api/storable-text';
import { bodyTextOf, createJsonBody } from './json-body';
import { topLevelMemberText } from './json-member-text';
import { RequestValidationError } from './request-validation-error';

export interface WebhookIntakeDeps {
  auth: HostAuthenticator;
  /** Stores the delivery and enqueues its job in one transaction. */
  intake: DeliveryIntake;
  /** Checks the event against its key's schema (Bitbucket's webhook schemas). */
  parseEvent: WebhookEventParser;
  logger: Logger;
  now: () => Date;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Connect wraps webhook bodies as `{event, data}`. `data` is only checked to be an object here (its
 * key's schema checks its fields next): z.record would copy every top-level field for nothing.
 */
const envelopeSchema = z.object({ event: z.string().min(1), data: z.custom<Record<string, unknown>>(isRecord, 'Expected an object') });
type Envelope = z.infer<typeof envelopeSchema>;

const requestUuid = /^[A-Za-z0-9{}-]{8,64}$/;
const INT32_MAX = 2_147_483_647;

/** What the delivery row and its job keep in their own columns: each must fit, or the delivery is refused (400). */
const deliveryColumns = z.object({
  hookUuid: storableText({ max: 64 }).nullable(),
  repositoryUuid: storableText({ min: 1, max: 64 }),
  pullRequestId: z.number().int().min(0).max(INT32_MAX).nullable(),
  commitHash: storableText({ min: 1, max: 64 }).nullable(),
});
type DeliveryColumns = z.infer<typeof deliveryColumns>;

function readEnvelope(body: unknown): Envelope {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw RequestValidationError.fromZod('webhook body (expected {event, data})', envelope.error);
  return envelope.data;
}

function readColumns(candidate: DeliveryColumns): DeliveryColumns {
  const columns = deliveryColumns.safeParse(candidate);
  if (!columns.success) throw RequestValidationError.fromZod('webhook delivery', columns.error);
  return columns.data;
}

/**
 * Webhook intake only verifies, stores, enqueues and acknowledges (octokit/webhooks.js style):
 * Bitbucket gives up after ~10 s, so nothing slow happens here, and never a call to Bitbucket.
 *
 * Its routes are added to the router given (the app itself, in app.ts) rather than to a router of
 * their own mounted on it: a delivery is the hottest request, and a nested router is one more
 * dispatch (its own layer walk, per-request closures) for each of them. Same matching either way
 * (Express's defaults: case-insensitive, a trailing slash allowed); errors go to the app's handler.
 */
export function addWebhookRoutes(router: IRouter, paths: readonly string[], deliver: DeliverWebhook): void {
  const json = createJsonBody({ limitBytes: WEBHOOK_BODY_LIMIT_BYTES });
  for (const path of paths) {
    router.post(path, json, async (req, res, next) => {
      try {
        await deliver(req, req.body, bodyTextOf(req));
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    });
  }
}

/** Bitbucket drops payloads over 256 KB; leave headroom. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** A delivery as the handler reads it: the host's request (auth) and its parsed body. */
export type DeliverWebhook = (req: HostRequest, body: unknown, bodyText: string | undefined) => Promise<void>;

/**
 * Verifies, checks and stores one delivery; resolves once it is durable (then the caller answers 204),
 * throws what the error handler maps to a status. Shared by the Express route and the fast path.
 */
export function createWebhookDeliveryHandler(deps: WebhookIntakeDeps): DeliverWebhook {
  return async (req, body, bodyText) => {
    const { tenant } = await deps.auth.verifyHostRequest(req);
    const envelope = readEnvelope(body);
    const headerEvent = req.header('x-event-key');
    if (headerEvent && headerEvent !== envelope.event) {
      throw new RequestValidationError(`X-Event-Key "${headerEvent}" does not match the body's event "${envelope.event}"`);
    }
    const uuid = req.header('x-request-uuid') ?? '';
    if (!requestUuid.test(uuid)) throw new RequestValidationError('X-Request-UUID header is missing or malformed');
    const parsed = deps.parseEvent(envelope.event, envelope.data);
    const columns = readColumns({
      hookUuid: req.header('x-hook-uuid') ?? null,
      repositoryUuid: parsed.repositoryUuid,
      pullRequestId: parsed.pullRequestId,
      commitHash: parsed.commitHash,
    });
    const attempt = Number.parseInt(req.header('x-attempt-number') ?? '1', 10);
    // `data` as received, cut from the body's text (valid JSON of `data` only), so the intake need not
    // stringify what was just parsed; null when the cut cannot be trusted to be exactly it (then it does).
    const payloadJson = bodyText === undefined ? null : topLevelMemberText(bodyText, 'data');
    const { duplicate } = await deps.intake.accept({
      clientKey: tenant.clientKey,
      requestUuid: uuid,
      hookUuid: columns.hookUuid,
      eventKey: parsed.event,
      attempt: Number.isFinite(attempt) && attempt > 0 ? Math.min(attempt, INT32_MAX) : 1,
      repositoryUuid: columns.repositoryUuid,
      pullrequestId: columns.pullRequestId,
      commitHash: columns.commitHash,
      comment: parsed.comment,
      payload: envelope.data,
      payloadJson: payloadJson ?? undefined,
      receivedAt: deps.now(),
    });
    deps.logger.debug(duplicate ? 'Webhook redelivery acknowledged, already stored' : 'Webhook stored', {
      tenant: tenant.clientKey,
      deliveryId: uuid,
      event: parsed.event,
    });
  };
}
