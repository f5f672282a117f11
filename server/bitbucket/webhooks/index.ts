export {
  webhookDataSchemas,
  parseWebhookData,
  WebhookPayloadError,
} from './webhook-event-schemas';
export type { WebhookAccount, WebhookComment, WebhookEventKey, ParsedWebhook } from './webhook-event-schemas';
