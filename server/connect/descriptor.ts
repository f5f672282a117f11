import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AppDescriptor } from '../host';

const moduleKey = z.string().regex(/^[a-zA-Z0-9-]+$/).max(128);
const uiModule = z.object({
  key: moduleKey,
  name: z.object({ value: z.string().min(1) }),
  url: z.string().startsWith('/').max(2048),
  location: z.string().optional(),
});

export const descriptorSchema = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  description: z.string().min(1),
  vendor: z.object({ name: z.string(), url: z.string().url() }),
  baseUrl: z.string().url(),
  authentication: z.object({ type: z.literal('jwt') }),
  lifecycle: z.object({ installed: z.string().startsWith('/'), uninstalled: z.string().startsWith('/') }),
  contexts: z.array(z.literal('account')),
  scopes: z.array(z.string()),
  modules: z.object({
    webPanels: z.array(uiModule),
    repoPages: z.array(uiModule),
    adminPages: z.array(uiModule),
    configurePage: uiModule,
    profileTabs: z.array(uiModule),
    webhooks: z.array(z.object({ event: z.string(), url: z.string().startsWith('/') })),
  }),
});
export type ConnectDescriptor = z.infer<typeof descriptorSchema>;

/**
 * Reads atlassian-connect.json and fills `{{localBaseUrl}}` (ACE's placeholder) with Bosun's public URL.
 * An app key override lets several Bosun instances install into one sandbox.
 */
export function loadDescriptor(file: string, baseUrl: string, appKey: string | null): ConnectDescriptor {
  const text = readFileSync(file, 'utf8').replaceAll('{{localBaseUrl}}', baseUrl);
  const parsed = descriptorSchema.parse(JSON.parse(text));
  return appKey ? { ...parsed, key: appKey } : parsed;
}

export function webhookPaths(descriptor: ConnectDescriptor): string[] {
  return [...new Set(descriptor.modules.webhooks.map((w) => w.url))];
}

/** The host port's view of the descriptor: what web/ needs, with nothing Connect-shaped. */
export function toAppDescriptor(descriptor: ConnectDescriptor): AppDescriptor {
  return {
    baseUrl: descriptor.baseUrl,
    descriptorUrl: `${descriptor.baseUrl}/atlassian-connect.json`,
    scopes: descriptor.scopes,
    webhookEvents: descriptor.modules.webhooks.map((w) => w.event),
    webhookPaths: webhookPaths(descriptor),
  };
}
