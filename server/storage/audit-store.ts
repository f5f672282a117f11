import { Op, literal, type WhereOptions } from 'sequelize';
import type { AuditEntry, AuditStep, ExecutionOutcome, PlanSource } from '../agent/executor/plan';
import { fromDelimited, toActorQuery, toDelimited, toRepositoryFragments, toRepositoryKeys } from '../agent/stores/audit-keys';
import { toPageBounds, type AuditStore } from '../agent/stores/audit-store';
import type { Database } from './create-database';
import type { AuditEntryRow } from './models';

const toName = (value: string | null | undefined) => (value ? value.slice(0, 255) : null);

function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: row.id,
    clientKey: row.clientKey,
    idempotencyKey: row.idempotencyKey,
    actor: {
      userUuid: row.actorUuid,
      accountId: row.actorAccountId,
      kind: row.actorKind as AuditEntry['actor']['kind'],
      displayName: row.actorName,
      nickname: row.actorNickname,
    },
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
  // Escape LIKE wildcards so `my_repo` does not match `myxrepo`; ESCAPE works on SQLite and PostgreSQL.
  const escapeLike = (value: string) => value.replace(/[\\%_]/g, '\\$&');
  const likeSql = (expression: string, pattern: string) => `${expression} LIKE ${db.sequelize.escape(pattern)} ESCAPE '\\'`;
  const like = (column: string, value: string) => literal(likeSql(column, `%|${escapeLike(value)}|%`));
  const anyOf = (sql: string[]) => literal(`(${sql.join(' OR ')})`);
  const byRepository = (filter: string) =>
    anyOf(toRepositoryFragments(filter).map((f) => likeSql('COALESCE(repository_keys, LOWER(repositories))', `%${escapeLike(f)}%`)));
  const byActor = (filter: string) => {
    const { text, uuid } = toActorQuery(filter);
    const equals = (expression: string, value: string) => `${expression} = ${db.sequelize.escape(value)}`;
    const word = escapeLike(text);
    return anyOf([
      ...(uuid ? [equals('LOWER(actor_uuid)', uuid)] : []),
      equals('LOWER(actor_account_id)', text),
      equals('LOWER(actor_nickname)', text),
      equals('LOWER(actor_name)', text),
      likeSql('LOWER(actor_name)', `${word} %`),
      likeSql('LOWER(actor_name)', `% ${word}`),
      likeSql('LOWER(actor_name)', `% ${word} %`),
    ]);
  };
  return {
    async record(input) {
      const row = await AuditEntry.create({
        clientKey: input.clientKey,
        idempotencyKey: input.idempotencyKey,
        actorUuid: input.actor.userUuid,
        actorAccountId: input.actor.accountId,
        actorKind: input.actor.kind,
        actorName: toName(input.actor.displayName),
        actorNickname: toName(input.actor.nickname),
        triggerKind: input.trigger.kind,
        triggerRef: input.trigger.ref,
        source: input.source,
        planSummary: input.planSummary,
        repositories: toDelimited(input.repositories),
        repositoryKeys: toDelimited(toRepositoryKeys(input.repositories, input.repositoryUuids)),
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
      if (filter.actor !== undefined && filter.actor.trim() !== '') conditions.push(byActor(filter.actor));
      if (filter.repository !== undefined) conditions.push(byRepository(filter.repository));
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
