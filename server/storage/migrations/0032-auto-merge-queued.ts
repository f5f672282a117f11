import type { Migration } from './migration';

/**
 * Auto-merges handed to the merge queue get a state of their own, `queued` (the queue lands the PR from
 * there), instead of ending as `merged` with the reason "Handed to the merge queue: …". Rows recorded that
 * way before take the new state and keep the enqueue's message as their reason. The state column is free
 * text (0007), so no column changes.
 */
export const migration0032: Migration = {
  id: '0032-auto-merge-queued',
  async up(_qi, sql) {
    // 'Handed to the merge queue: ' is 27 characters; SUBSTR is 1-based in SQLite and PostgreSQL alike.
    await sql("UPDATE auto_merges SET state = 'queued', reason = SUBSTR(reason, 28) WHERE state = 'merged' AND reason LIKE 'Handed to the merge queue: %'");
  },
};
