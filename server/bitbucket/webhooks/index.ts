export {
  webhookDataSchemas,
  webhookEventKeys,
  isWebhookEventKey,
  connectWebhookEnvelopeSchema,
  parseWebhookData,
  WebhookPayloadError,
} from './webhook-event-schemas';
export type { WebhookEventKey, ParsedWebhook } from './webhook-event-schemas';
