import type { Migration } from './migration';

/** Each transient failure starts a new merge attempt, with its own idempotency key. */
export const migration0008: Migration = {
  id: '0008-auto-merge-attempts',
  // Plain SQL: QueryInterface.addColumn names the table public.auto_merges on PostgreSQL, which
  // misses a database whose tables live in another schema (search_path).
  async up(_qi, sql) {
    await sql('ALTER TABLE auto_merges ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0');
  },
};
