import type { Migration } from './migration';

/**
 * A running execution is held by an owner that renews a lease; it is taken over only once the
 * lease has run out, not after a fixed age (a long run by a live process was taken over before).
 */
export const migration0009: Migration = {
  id: '0009-execution-leases',
  // Plain SQL for the same reason as 0008 (schema-qualified names on PostgreSQL).
  async up(qi, sql) {
    const timestamp = qi.sequelize.getDialect() === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
    await sql('ALTER TABLE executions ADD COLUMN owner VARCHAR(64)');
    await sql(`ALTER TABLE executions ADD COLUMN lease_expires_at ${timestamp}`);
  },
};
