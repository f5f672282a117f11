import type { z } from 'zod';
import { CiPayloadError, toPayloadProblems } from './errors';

/** Validates `body` with `schema` or throws a CiPayloadError naming the provider and the fields at fault. */
export function parsePayload<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new CiPayloadError(`Not a valid ${what}`, toPayloadProblems(parsed.error));
  return parsed.data;
}

/** Reads a header case-insensitively (Express lower-cases them; tests may not). */
export function getHeader(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
