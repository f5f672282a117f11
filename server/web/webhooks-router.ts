import express, { type Router } from 'express';
import { connectWebhookEnvelopeSchema, parseWebhookData } from '../bitbucket/webhooks';
import { webhookPaths, type ConnectDescriptor, type HostAuthenticator } from '../connect';
import type { DeliveryIntake } from '../jobs';
import type { Logger } from '../log';
import { RequestValidationError } from './request-validation-error';

export interface WebhookIntakeDeps {
  auth: HostAuthenticator;
  /** Stores the delivery and enqueues its job in one transaction. */
  intake: DeliveryIntake;
  descriptor: ConnectDescriptor;
  logger: Logger;
  now: () => Date;
}

const requestUuid = /^[A-Za-z0-9{}-]{8,64}$/;

/**
 * Webhook intake only verifies, stores, enqueues and acknowledges (octokit/webhooks.js style):
 * Bitbucket gives up after ~10 s, so nothing slow happens here, and never a call to Bitbucket.
 */
export function createWebhooksRouter(deps: WebhookIntakeDeps): Router {
  const router = express.Router();
  // Bitbucket drops payloads over 256 KB; leave headroom.
  const json = express.json({ limit: '1mb' });
  for (const path of webhookPaths(deps.descriptor)) {
    router.post(path, json, async (req, res, next) => {
      try {
        const { tenant } = await deps.auth.verifyHostRequest(req);
        const envelope = connectWebhookEnvelopeSchema.safeParse(req.body);
        if (!envelope.success) throw RequestValidationError.fromZod('webhook body (expected {event, data})', envelope.error);
        const headerEvent = req.header('x-event-key');
        if (headerEvent && headerEvent !== envelope.data.event) {
          throw new RequestValidationError(`X-Event-Key "${headerEvent}" does not match the body's event "${envelope.data.event}"`);
        }
        const uuid = req.header('x-request-uuid') ?? '';
        if (!requestUuid.test(uuid)) throw new RequestValidationError('X-Request-UUID header is missing or malformed');
        const parsed = parseWebhookData(envelope.data.event, envelope.data.data);
        const attempt = Number.parseInt(req.header('x-attempt-number') ?? '1', 10);
        const { duplicate } = await deps.intake.accept({
          clientKey: tenant.clientKey,
          requestUuid: uuid,
          hookUuid: req.header('x-hook-uuid') ?? null,
          eventKey: parsed.event,
          attempt: Number.isFinite(attempt) && attempt > 0 ? attempt : 1,
          repositoryUuid: parsed.repositoryUuid,
          pullrequestId: parsed.pullRequestId,
          commitHash: parsed.commitHash,
          payload: envelope.data.data,
          receivedAt: deps.now(),
        });
        deps.logger.debug(duplicate ? 'Webhook redelivery acknowledged, already stored' : 'Webhook stored', {
          tenant: tenant.clientKey,
          deliveryId: uuid,
          event: parsed.event,
        });
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}
