import type { Migration } from './migration';

interface QueueRow { client_key: string; repository: string; branch: string; state: string }
interface PolicyRow { id: number; layer: string }

const MOVED_BY = 'migration-0036';

/**
 * The merge queue's strategy moves from each queue's settings to the policy (mergeQueue.strategy,
 * docs/merge-queue.md). Every stored queue loses its `settings.mergeStrategy`; a tenant whose stored
 * queues all named `fast_forward` gets it in its workspace policy layer, unless that layer names a
 * strategy already. `merge_commit` was the default and stays it; queues that disagreed keep the
 * default (the migration cannot tell repositories apart by uuid, and merge_commit refuses no PR).
 */
export const migration0036: Migration = {
  id: '0036-queue-strategy-to-policy',
  async up(_qi, run) {
    const sql = async (statement: string, replacements?: unknown[]) => (await run(statement, replacements)) ?? [];
    const queues = (await sql('SELECT client_key, repository, branch, state FROM merge_queues')) as QueueRow[];
    const named = new Map<string, Set<string>>();
    for (const q of queues) {
      const state = JSON.parse(q.state) as { settings?: Record<string, unknown> };
      const strategy = state.settings?.mergeStrategy;
      if (strategy === undefined || !state.settings) continue;
      delete state.settings.mergeStrategy;
      named.set(q.client_key, (named.get(q.client_key) ?? new Set()).add(String(strategy)));
      await sql('UPDATE merge_queues SET state = ? WHERE client_key = ? AND repository = ? AND branch = ?', [JSON.stringify(state), q.client_key, q.repository, q.branch]);
    }
    const at = new Date();
    for (const [clientKey, strategies] of named) {
      if (strategies.size !== 1 || !strategies.has('fast_forward')) continue;
      const [row] = (await sql("SELECT id, layer FROM policies WHERE client_key = ? AND scope = 'workspace'", [clientKey])) as PolicyRow[];
      if (!row) {
        await sql("INSERT INTO policies (client_key, scope, layer, version, updated_by, updated_at) VALUES (?, 'workspace', ?, 1, ?, ?)",
          [clientKey, JSON.stringify({ mergeQueue: { strategy: 'fast_forward' } }), MOVED_BY, at]);
        continue;
      }
      const layer = JSON.parse(row.layer) as { mergeQueue?: Record<string, unknown> };
      if (layer.mergeQueue?.strategy !== undefined) continue;
      layer.mergeQueue = { ...layer.mergeQueue, strategy: 'fast_forward' };
      await sql('UPDATE policies SET layer = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?', [JSON.stringify(layer), MOVED_BY, at, row.id]);
    }
  },
};
