import type { Migration } from './migration';

/**
 * Names, not ids, in the audit log (issue 16): the actor's display name and nickname, and every key a
 * repository is found by (`workspace/slug` and `{uuid}`, lower case, `|a|b|`), stored when the entry is
 * written so the log's filters need no join and no Bitbucket call.
 */
export const migration0014: Migration = {
  id: '0014-audit-names',
  // Plain SQL for the same reason as 0008 (schema-qualified names on PostgreSQL).
  async up(_qi, sql) {
    await sql('ALTER TABLE audit_entries ADD COLUMN actor_name VARCHAR(255)');
    await sql('ALTER TABLE audit_entries ADD COLUMN actor_nickname VARCHAR(255)');
    await sql('ALTER TABLE audit_entries ADD COLUMN repository_keys TEXT');
    // Earlier entries are found by what they recorded (`acme/web` or `acme/{uuid}`).
    await sql('UPDATE audit_entries SET repository_keys = LOWER(repositories)');
  },
};
