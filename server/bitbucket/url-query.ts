/** Query strings as Bitbucket and the JWT qsh expect them. */

export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** Appends query parameters; repeated keys for arrays (e.g. `state=OPEN&state=MERGED`). */
export function appendQuery(url: URL, query: Query | undefined): void {
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [String(value)];
    for (const item of values) url.searchParams.append(key, item);
  }
}

/**
 * Serialises the query with %20 for spaces: URLSearchParams writes `+`, which BBQL `q=`
 * values would otherwise depend on the server reading as form encoding.
 */
export function toSearch(url: URL): string {
  const parts: string[] = [];
  url.searchParams.forEach((value, key) => parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`));
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
