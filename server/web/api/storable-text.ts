import { z } from 'zod';

/**
 * NUL (PostgreSQL's text refuses it, and SQL drivers choke on it) and lone UTF-16 surrogates
 * (they cannot be encoded as UTF-8, so they would be stored altered): neither is ever meaningful input.
 */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && !/\p{Cs}/u.test(value);

/**
 * The one string schema for query, path and body fields that may reach the database or a log:
 * bounded, and refused at the edge (400) when it holds characters that cannot be stored.
 */
export function storableText(opts: { max: number; min?: number }) {
  return z
    .string()
    .min(opts.min ?? 0)
    .max(opts.max)
    .refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');
}

/** True when every string (and object key) anywhere inside `value` can be stored. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).every(([k, v]) => isStorableText(k) && isStorableJson(v));
  }
  return true;
}

/** Free-form JSON (a tool's input) with the same rule applied to every string inside it. */
export const storableJson = z.unknown().refine(isStorableJson, 'must not contain NUL or unpaired surrogate characters');
