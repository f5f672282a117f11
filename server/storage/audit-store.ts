import { Op, literal, type WhereOptions } from 'sequelize';
import type { AuditEntry, AuditStep, ExecutionOutcome, PlanSource } from '../agent/executor/plan';
import { toPageBounds, type AuditStore } from '../agent/stores/audit-store';
import type { Database } from './create-database';
import type { AuditEntryRow } from './models';

/** `|a|b|`: one LIKE `%|a|%` then finds an entry exactly. */
const toDelimited = (values: readonly string[]) => `|${values.join('|')}|`;
const fromDelimited = (text: string) => text.split('|').filter((v) => v !== '');

function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: row.id,
    clientKey: row.clientKey,
    idempotencyKey: row.idempotencyKey,
    actor: { userUuid: row.actorUuid, accountId: row.actorAccountId, kind: row.actorKind as AuditEntry['actor']['kind'] },
    trigger: { kind: row.triggerKind, ref: row.triggerRef },
    source: row.source as PlanSource,
    planSummary: row.planSummary,
    repositories: fromDelimited(row.repositories),
    tools: fromDelimited(row.tools),
    steps: JSON.parse(row.steps) as AuditStep[],
    outcome: row.outcome as ExecutionOutcome,
    message: row.message,
    startedAt: new Date(row.startedAt),
    durationMs: row.durationMs,
  };
}

/** Sequelize {@link AuditStore} over `audit_entries`. */
export function createAuditStore(db: Database): AuditStore {
  const { AuditEntry } = db.models;
  const like = (column: string, value: string) => {
    // Escape LIKE wildcards so `my_repo` does not match `myxrepo`; ESCAPE works on SQLite and PostgreSQL.
    const pattern = `%|${value.replace(/[\\%_]/g, '\\$&')}|%`;
    return literal(`${column} LIKE ${db.sequelize.escape(pattern)} ESCAPE '\\'`);
  };
  return {
    async record(input) {
      const row = await AuditEntry.create({
        clientKey: input.clientKey,
        idempotencyKey: input.idempotencyKey,
        actorUuid: input.actor.userUuid,
        actorAccountId: input.actor.accountId,
        actorKind: input.actor.kind,
        triggerKind: input.trigger.kind,
        triggerRef: input.trigger.ref,
        source: input.source,
        planSummary: input.planSummary,
        repositories: toDelimited(input.repositories),
        tools: toDelimited(input.tools),
        steps: JSON.stringify(input.steps),
        outcome: input.outcome,
        message: input.message,
        startedAt: input.startedAt,
        durationMs: Math.round(input.durationMs),
      });
      return toAuditEntry(row);
    },
    async get(clientKey, id) {
      const row = await AuditEntry.findOne({ where: { clientKey, id } });
      return row ? toAuditEntry(row) : null;
    },
    async list(clientKey, filter = {}) {
      const { limit, offset } = toPageBounds(filter);
      const conditions: WhereOptions[] = [{ clientKey }];
      if (filter.actorUuid !== undefined) conditions.push({ actorUuid: filter.actorUuid });
      if (filter.outcome !== undefined) conditions.push({ outcome: filter.outcome });
      if (filter.repository !== undefined) conditions.push(like('repositories', filter.repository));
      if (filter.tool !== undefined) conditions.push(like('tools', filter.tool));
      const { rows, count } = await AuditEntry.findAndCountAll({
        where: { [Op.and]: conditions },
        order: [['startedAt', 'DESC'], ['id', 'DESC']],
        limit,
        offset,
      });
      return { entries: rows.map(toAuditEntry), total: count };
    },
  };
}
