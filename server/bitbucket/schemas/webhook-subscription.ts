import { z } from 'zod';

/** `…/hooks[/{uid}]`. The secret is never returned; `secret_set` says whether one is. */
export const webhookSubscriptionSchema = z.looseObject({
  uuid: z.string(),
  url: z.string(),
  description: z.string().nullish(),
  active: z.boolean(),
  events: z.array(z.string()),
  subject_type: z.string().optional(),
  secret_set: z.boolean().optional(),
  created_at: z.string().nullish(),
});
export type WebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;
