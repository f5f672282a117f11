import { z } from 'zod';

/** `…/pipelines_config` (the spec's `pipelines_config`): only whether Pipelines is enabled is kept. */
export const pipelinesConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
});
export type PipelinesConfig = z.infer<typeof pipelinesConfigSchema>;
