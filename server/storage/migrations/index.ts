export { MIGRATIONS } from './all-migrations';
export { runMigrations } from './run-migrations';
export type { Migration } from './migration';
