import { SandboxError } from '../state/sandbox-error';

/**
 * A small subset of Bitbucket's query language: `field (=|!=|~) "value"` joined by AND.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering
 */
export function filterByQuery<T>(items: T[], q: unknown, fields: Record<string, (item: T) => string>): T[] {
  if (typeof q !== 'string' || q.trim() === '') return items;
  const clauses = q.split(/\s+AND\s+/i).map((clause) => {
    const m = /^\s*([a-z_.]+)\s*(=|!=|~)\s*"([^"]*)"\s*$/i.exec(clause);
    const get = m ? fields[m[1]!] : undefined;
    if (!m || !get) throw new SandboxError(400, `Invalid query: the sandbox supports ${Object.keys(fields).join('|')} with = != ~ and AND: ${q}`);
    return { get, op: m[2]!, value: m[3]! };
  });
  return items.filter((item) =>
    clauses.every(({ get, op, value }) => {
      const v = get(item);
      return op === '=' ? v === value : op === '!=' ? v !== value : v.toLowerCase().includes(value.toLowerCase());
    }),
  );
}

/** `sort=field` or `sort=-field` over string-valued fields. */
export function sortByQuery<T>(items: T[], sort: unknown, fields: Record<string, (item: T) => string>): T[] {
  if (typeof sort !== 'string' || sort === '') return items;
  const desc = sort.startsWith('-');
  const get = fields[sort.replace(/^-/, '')];
  if (!get) throw new SandboxError(400, `Invalid sort field: ${sort}`);
  return [...items].sort((a, b) => get(a).localeCompare(get(b)) * (desc ? -1 : 1));
}

/** Query values that may repeat (`?include=a&include=b`). */
export function toQueryList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
}
