import { Op, QueryTypes } from 'sequelize';
import type { BudgetStore } from '../budget/budget-store';
import { isBudgetLane } from '../budget/budget-lane';
import type { Database } from './create-database';

/**
 * The rate budget's rows in SQL, shared by every instance on one database. A spend is one upsert
 * (`count = count + n`), so concurrent instances never lose each other's counts.
 */
export function createSqlBudgetStore(db: Database): BudgetStore {
  const { BudgetUsage, BudgetPause } = db.models;
  return {
    async addUsage(row) {
      await db.sequelize.query(
        `INSERT INTO budget_usage (client_key, credential, lane, purpose, minute, count)
         VALUES (:clientKey, :credential, :lane, :purpose, :minute, :count)
         ON CONFLICT (client_key, credential, lane, purpose, minute) DO UPDATE SET count = budget_usage.count + EXCLUDED.count`,
        { replacements: { ...row }, type: QueryTypes.INSERT },
      );
    },
    async loadUsage(clientKey, sinceMinute, credential) {
      const rows = await BudgetUsage.findAll({
        where: { clientKey, minute: { [Op.gte]: sinceMinute }, ...(credential !== undefined ? { credential } : {}) },
        raw: true,
      });
      return rows.flatMap((r) => (isBudgetLane(r.lane) ? [{ clientKey: r.clientKey, credential: r.credential, lane: r.lane, purpose: r.purpose, minute: Number(r.minute), count: r.count }] : []));
    },
    async ensurePause(row) {
      await db.sequelize.query(
        `INSERT INTO budget_pauses (client_key, credential, until, reason) VALUES (:clientKey, :credential, :until, :reason)
         ON CONFLICT (client_key, credential) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason WHERE budget_pauses.until < EXCLUDED.until`,
        { replacements: { clientKey: row.clientKey, credential: row.credential, until: row.until, reason: row.reason }, type: QueryTypes.INSERT },
      );
    },
    async loadPauses(clientKey, credential) {
      const rows = await BudgetPause.findAll({ where: { clientKey, ...(credential !== undefined ? { credential } : {}) } });
      return rows.map((r) => ({ clientKey: r.clientKey, credential: r.credential, until: new Date(r.until), reason: r.reason }));
    },
    async prune(beforeMinute, before) {
      await BudgetUsage.destroy({ where: { minute: { [Op.lt]: beforeMinute } } });
      await BudgetPause.destroy({ where: { until: { [Op.lt]: before } } });
    },
  };
}

