import { z } from 'zod';
import { isPlausibleClientKey, isStorableText } from './connect-jwt';

/** Text we store: bounded by its column (0001-tenants), and without NUL or unpaired surrogates (the database cannot hold them faithfully). */
const text = (max: number) => z.string().max(max).refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');
const clientKey = z.string().min(1).max(255).refine(isPlausibleClientKey, 'must not contain NUL or unpaired surrogate characters');

const principal = z
  .object({
    type: text(64).optional(),
    uuid: text(64).optional(),
    username: text(255).optional(),
    slug: text(255).optional(),
    display_name: text(255).optional(),
  })
  .passthrough();

const actor = z
  .object({ uuid: text(64).optional(), account_id: text(128).optional(), display_name: text(255).optional() })
  .passthrough();

/** The `installed` body Bitbucket POSTs (REFERENCE.md §3); unknown fields are ignored. */
export const installedPayloadSchema = z.object({
  productType: z.literal('bitbucket'),
  eventType: z.literal('installed'),
  key: text(64).min(1),
  clientKey,
  sharedSecret: text(1024).min(16),
  baseUrl: text(512).pipe(z.string().url()),
  baseApiUrl: text(512).pipe(z.string().url()),
  principal: principal.optional(),
  actor: actor.optional(),
  user: actor.optional(),
});

export const uninstalledPayloadSchema = z.object({
  productType: z.literal('bitbucket').optional(),
  eventType: z.literal('uninstalled'),
  key: text(64).min(1),
  clientKey,
});
