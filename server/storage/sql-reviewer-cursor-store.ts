import { Op, QueryTypes } from 'sequelize';
import type { ReviewerCursor, ReviewerCursorStore } from '../agent';
import type { Database } from './create-database';

/** Thrown inside the transaction to roll back every move when one lost the race. */
class LostRaceError extends Error {}

/**
 * Sequelize {@link ReviewerCursorStore} over `reviewer_cursors`. An advance is one transaction of
 * statements that each name the version read (insert-if-absent for version 0, else
 * `UPDATE … WHERE version = :expected`), and RETURNING says whether each won: two runs that read
 * the same cursor never both advance it, so two PRs never get the same next person.
 */
export function createSqlReviewerCursorStore(db: Database, now: () => Date = () => new Date()): ReviewerCursorStore {
  const { ReviewerCursor } = db.models;
  return {
    async load(clientKey, scope, groups) {
      if (groups.length === 0) return {};
      const rows = await ReviewerCursor.findAll({ where: { clientKey, scope, groupSlug: { [Op.in]: [...groups] } }, raw: true });
      const out: Record<string, ReviewerCursor> = {};
      for (const r of rows) out[r.groupSlug] = { position: r.position, version: r.version, lastClaim: r.lastClaim };
      return out;
    },
    async advance(clientKey, scope, claim, moves) {
      if (moves.length === 0) return true;
      try {
        await db.sequelize.transaction(async (transaction) => {
          for (const m of moves) {
            const replacements = { clientKey, scope, group: m.group, position: m.position, version: m.expectedVersion + 1, expected: m.expectedVersion, claim: claim.slice(0, 512), now: now() };
            // The leading comments keep Sequelize's SQLite driver from dropping the RETURNING rows.
            const rows =
              m.expectedVersion === 0
                ? await db.sequelize.query<{ version: number }>(
                    `/* reviewer cursor insert */ INSERT INTO reviewer_cursors (client_key, scope, group_slug, position, version, last_claim, updated_at)
                     VALUES (:clientKey, :scope, :group, :position, :version, :claim, :now)
                     ON CONFLICT (client_key, scope, group_slug) DO NOTHING RETURNING version`,
                    { replacements, type: QueryTypes.SELECT, transaction },
                  )
                : await db.sequelize.query<{ version: number }>(
                    `/* reviewer cursor update */ UPDATE reviewer_cursors SET position = :position, version = :version, last_claim = :claim, updated_at = :now
                     WHERE client_key = :clientKey AND scope = :scope AND group_slug = :group AND version = :expected RETURNING version`,
                    { replacements, type: QueryTypes.SELECT, transaction },
                  );
            if (rows.length !== 1) throw new LostRaceError();
          }
        });
        return true;
      } catch (error) {
        if (error instanceof LostRaceError) return false;
        throw error;
      }
    },
  };
}
