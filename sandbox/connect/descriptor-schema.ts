import { z } from 'zod';

const moduleSchema = z.looseObject({
  key: z.string().regex(/^[a-zA-Z0-9-]+$/).max(128),
  url: z.string().max(2048).optional(),
  location: z.string().optional(),
  name: z.looseObject({ value: z.string() }).optional(),
});

/** The parts of a Connect descriptor the sandbox relies on; everything else passes through. */
export const descriptorSchema = z.looseObject({
  key: z.string().min(1).max(64).regex(/^[a-zA-Z0-9\-._]+$/),
  name: z.string().optional(),
  description: z.string().optional(),
  baseUrl: z.url(),
  authentication: z.looseObject({ type: z.string() }).optional(),
  lifecycle: z.looseObject({ installed: z.string().optional(), uninstalled: z.string().optional() }).optional(),
  scopes: z.array(z.string()).optional(),
  contexts: z.array(z.string()).optional(),
  modules: z
    .looseObject({
      webhooks: z.array(z.looseObject({ event: z.string(), url: z.string() })).optional(),
      webPanels: z.array(moduleSchema).optional(),
      repoPages: z.array(moduleSchema).optional(),
      adminPages: z.array(moduleSchema).optional(),
      configurePage: z.union([moduleSchema, z.array(moduleSchema)]).optional(),
      profileTabs: z.array(moduleSchema).optional(),
    })
    .optional(),
});
