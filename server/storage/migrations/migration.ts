import type { QueryInterface } from 'sequelize';

/**
 * One schema change. Append-only: never edit a migration that has shipped, add a new file and
 * list it in index.ts. Every tenant-owned table has a `client_key` column: uninstall purges by it.
 */
export interface Migration {
  id: string;
  /**
   * `sql` runs plain SQL in the migration's transaction (for what QueryInterface words per dialect),
   * with `?` replacements; it answers the rows a SELECT read (a data migration reads what it moves).
   */
  up(qi: QueryInterface, sql: (statement: string, replacements?: unknown[]) => Promise<unknown[] | void>): Promise<void>;
}
