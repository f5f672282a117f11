/**
 * Follows Bitbucket's `next` links. Bitbucket asks clients to use the link as given rather than
 * build page URLs (some lists page by opaque cursors):
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
 */
import type { z } from 'zod';
import type { HttpRequest, HttpTransport, Query } from './http';
import { pageSchema } from './schemas/common';

/** Hard cap on items per list call unless the caller asks for another. */
export const DEFAULT_MAX_ITEMS = 1000;
/** Page size we ask for (the global maximum is 100; 50 keeps responses small and fast). */
export const PAGE_LENGTH = 50;

export interface PaginateOptions {
  /** Stop after this many items (a hard cap). Default {@link DEFAULT_MAX_ITEMS}. */
  max?: number;
}

/**
 * Fetches `path` and every following page until there is no `next` or `max` items are in hand,
 * validating each item with `itemSchema`. Each `next` request is signed for that URL's own
 * path and query (the transport does it per request).
 */
export async function paginate<S extends z.ZodType>(
  http: HttpTransport,
  first: { path: string; query?: Query },
  itemSchema: S,
  options: PaginateOptions = {},
): Promise<Array<z.output<S>>> {
  const max = Math.max(0, Math.floor(options.max ?? DEFAULT_MAX_ITEMS));
  const items: Array<z.output<S>> = [];
  if (max === 0) return items;
  const schema = pageSchema(itemSchema);
  const seen = new Set<string>();
  let request: HttpRequest | null = { method: 'GET', path: first.path, query: { pagelen: PAGE_LENGTH, ...first.query } };
  while (request !== null) {
    const page: { values: unknown[]; next?: string } = await http.sendJson(request, schema);
    for (const [index, value] of page.values.entries()) {
      items.push(value as z.output<S>);
      if (items.length >= max) {
        const more = index < page.values.length - 1 || page.next !== undefined;
        if (more) http.config.logger.info('bitbucket list capped', { path: first.path, max, ...http.config.requestContext });
        return items;
      }
    }
    const next: string | undefined = page.next;
    // A repeated link would loop forever; treat it as the end.
    if (next === undefined || seen.has(next)) break;
    seen.add(next);
    request = { method: 'GET', path: next };
  }
  return items;
}
