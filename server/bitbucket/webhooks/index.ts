export {
  webhookDataSchemas,
  parseWebhookData,
  WebhookPayloadError,
} from './webhook-event-schemas';
export type { WebhookEventKey, ParsedWebhook } from './webhook-event-schemas';
