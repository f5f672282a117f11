import type { QueryInterface } from 'sequelize';

/**
 * One schema change. Append-only: never edit a migration that has shipped, add a new file and
 * list it in index.ts. Every tenant-owned table has a `client_key` column: uninstall purges by it.
 */
export interface Migration {
  id: string;
  up(qi: QueryInterface): Promise<void>;
}
