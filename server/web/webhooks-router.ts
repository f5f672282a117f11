import express, { type Router } from 'express';
import { connectWebhookEnvelopeSchema, parseWebhookData, type ParsedWebhook } from '../bitbucket/webhooks';
import { webhookPaths, type ConnectDescriptor, type HostAuthenticator } from '../connect';
import type { Logger } from '../log';
import type { Tenant, WebhookDelivery, WebhookDeliveryStore } from '../storage';
import { RequestValidationError } from './request-validation-error';

export interface WebhookIntakeDeps {
  auth: HostAuthenticator;
  deliveries: WebhookDeliveryStore;
  descriptor: ConnectDescriptor;
  logger: Logger;
  now: () => Date;
  /** Called once per new delivery, after it is stored (the job queue hooks in here). */
  onDelivery?: (delivery: WebhookDelivery, event: ParsedWebhook, tenant: Tenant) => Promise<void> | void;
}

const requestUuid = /^[A-Za-z0-9{}-]{8,64}$/;

/**
 * Webhook intake only verifies, stores and acknowledges (octokit/webhooks.js style):
 * Bitbucket gives up after ~10 s, so nothing slow happens here.
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
        const { delivery, duplicate } = await deps.deliveries.record({
          clientKey: tenant.clientKey,
          requestUuid: uuid,
          hookUuid: req.header('x-hook-uuid') ?? null,
          eventKey: parsed.event,
          attempt: Number.isFinite(attempt) && attempt > 0 ? attempt : 1,
          repositoryUuid: parsed.repositoryUuid,
          pullrequestId: parsed.pullRequestId,
          payload: envelope.data.data,
          receivedAt: deps.now(),
        });
        const log = deps.logger.child({ tenant: tenant.clientKey, deliveryId: uuid, event: parsed.event });
        if (duplicate) {
          log.info('Webhook redelivery acknowledged, already stored');
        } else {
          log.info('Webhook stored');
          await deps.onDelivery?.(delivery, parsed, tenant);
        }
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}
