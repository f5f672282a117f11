import { z } from 'zod';

/**
 * Bitbucket's error envelope `{"type":"error","error":{"message","detail"?}}`.
 * The spec types `detail` as a string, but missing-scope 403s send
 * `{"required":[…],"granted":[…]}`, so both are accepted.
 */
export const errorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({
    message: z.string(),
    detail: z
      .union([
        z.string(),
        z.looseObject({
          required: z.array(z.string()).optional(),
          granted: z.array(z.string()).optional(),
        }),
      ])
      .optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
