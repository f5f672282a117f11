import { z } from 'zod';

const principal = z
  .object({
    type: z.string().optional(),
    uuid: z.string().optional(),
    username: z.string().optional(),
    slug: z.string().optional(),
    display_name: z.string().optional(),
  })
  .passthrough();

const actor = z
  .object({ uuid: z.string().optional(), account_id: z.string().optional(), display_name: z.string().optional() })
  .passthrough();

/** The `installed` body Bitbucket POSTs (REFERENCE.md §3); unknown fields are ignored. */
export const installedPayloadSchema = z.object({
  productType: z.literal('bitbucket'),
  eventType: z.literal('installed'),
  key: z.string().min(1),
  clientKey: z.string().min(1).max(255),
  sharedSecret: z.string().min(16).max(1024),
  baseUrl: z.string().url(),
  baseApiUrl: z.string().url(),
  principal: principal.optional(),
  actor: actor.optional(),
  user: actor.optional(),
});
export type InstalledPayload = z.infer<typeof installedPayloadSchema>;

export const uninstalledPayloadSchema = z.object({
  productType: z.literal('bitbucket').optional(),
  eventType: z.literal('uninstalled'),
  key: z.string().min(1),
  clientKey: z.string().min(1).max(255),
});
