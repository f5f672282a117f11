import type { AuditEntryView } from '../../server/web/api/contracts';

/** Filters of GET /api/audit; empty strings and 'any' mean "not filtered". */
export interface AuditFilter {
  /** Repository full name or uuid, as the server matches it. */
  repo?: string;
  /** A user uuid or an account id. */
  actor?: string;
  tool?: string;
  outcome?: AuditEntryView['outcome'] | 'any';
  limit?: number;
  offset?: number;
}

/** The query string ("?repo=…&limit=20&offset=0", or "" when nothing is set) for GET /api/audit. */
export const toAuditQuery = (filter: AuditFilter): string => {
  const params = new URLSearchParams();
  for (const field of ['repo', 'actor', 'tool'] as const) {
    const value = filter[field]?.trim();
    if (value) params.set(field, value);
  }
  if (filter.outcome && filter.outcome !== 'any') params.set('outcome', filter.outcome);
  if (filter.limit !== undefined && Number.isInteger(filter.limit) && filter.limit > 0) params.set('limit', String(filter.limit));
  if (filter.offset !== undefined && Number.isInteger(filter.offset) && filter.offset >= 0) params.set('offset', String(filter.offset));
  const query = params.toString();
  return query ? `?${query}` : '';
};
