import { SandboxError } from '../state/sandbox-error';

/**
 * A small subset of Bitbucket's query language: `field (=|!=|~|>|>=|<|<=) "value"` joined by AND, and
 * groups of those joined by OR (one level of parentheses). Comparisons of dates compare instants.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering
 */
export function filterByQuery<T>(items: T[], q: unknown, fields: Record<string, (item: T) => string>): T[] {
  if (typeof q !== 'string' || q.trim() === '') return items;
  const groups = q.split(/\s+OR\s+/i).map((group) =>
    group.trim().replace(/^\((.*)\)$/, '$1').split(/\s+AND\s+/i).map((clause) => {
      const m = /^\s*\(?\s*([a-z_.]+)\s*(=|!=|~|>=|<=|>|<)\s*"([^"]*)"\s*\)?\s*$/i.exec(clause);
      const get = m ? fields[m[1]!] : undefined;
      if (!m || !get) throw new SandboxError(400, `Invalid query: the sandbox supports ${Object.keys(fields).join('|')} with = != ~ > >= < <=, AND and OR: ${q}`);
      return { get, op: m[2]!, value: m[3]! };
    }),
  );
  return items.filter((item) => groups.some((clauses) => clauses.every(({ get, op, value }) => matches(get(item), op, value))));
}

function compare(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && /^\d{4}-\d{2}-\d{2}/.test(a) && /^\d{4}-\d{2}-\d{2}/.test(b)) {
    // Microseconds past the millisecond decide ties Date.parse cannot see.
    return ta !== tb ? ta - tb : toMicros(a) - toMicros(b);
  }
  return a.localeCompare(b);
}

function toMicros(iso: string): number {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return Number(fraction.padEnd(6, '0').slice(3, 6));
}

function matches(v: string, op: string, value: string): boolean {
  switch (op) {
    case '=': return v === value;
    case '!=': return v !== value;
    case '~': return v.toLowerCase().includes(value.toLowerCase());
    case '>': return compare(v, value) > 0;
    case '>=': return compare(v, value) >= 0;
    case '<': return compare(v, value) < 0;
    default: return compare(v, value) <= 0;
  }
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
