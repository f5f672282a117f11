import { randomBytes } from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import type { SecretBox } from '../auth/secret-box';
import {
  ciProviderSchema,
  type CiDeliveryRecord,
  type CiIntegration,
  type CiIntegrationStore,
  type CiReportedRecord,
} from '../ci';
import type { Database } from './create-database';
import type { CiIntegrationRow } from './models/ci-integration';

/** Drops NUL and lone surrogates, which PostgreSQL text refuses (a reason may quote what a CI sent). */
function toStorableText(text: string): string {
  return [...text].filter((char) => char !== '\u0000' && !/^[\ud800-\udfff]$/.test(char)).join('');
}

/** Deliveries kept per integration: enough to debug a CI's setup, not an archive. */
const KEEP_DELIVERIES = 50;

/** The row's identity as associated data: a sealed secret copied to another row does not open. */
const secretContext = (clientKey: string, id: string) => `ci-integration:${clientKey}:${id}`;

const newSecret = () => randomBytes(32).toString('base64url');
const newId = () => `ci_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

function toIntegration(row: CiIntegrationRow): CiIntegration {
  return {
    id: row.id,
    clientKey: row.clientKey,
    provider: ciProviderSchema.parse(row.provider),
    name: row.name,
    repository: row.repository,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt),
    rotatedAt: row.rotatedAt ? new Date(row.rotatedAt) : null,
  };
}

/** Sequelize {@link CiIntegrationStore}: secrets sealed with the secret box, every tenant's rows keyed by clientKey. */
export function createSqlCiIntegrationStore(db: Database, box: SecretBox, now: () => Date = () => new Date()): CiIntegrationStore {
  const { CiIntegration, CiDelivery, CiReportedStatus } = db.models;
  const toRecord = (row: { reported: string; status: string; updatedAt: Date }): CiReportedRecord => ({
    reported: JSON.parse(row.reported) as CiReportedRecord['reported'],
    status: JSON.parse(row.status) as CiReportedRecord['status'],
    updatedAt: new Date(row.updatedAt),
  });
  return {
    async create(input) {
      const id = newId();
      const secret = newSecret();
      const row = await CiIntegration.create({
        id,
        clientKey: input.clientKey,
        provider: input.provider,
        name: input.name,
        repository: input.repository,
        secretSealed: box.seal(secret, secretContext(input.clientKey, id)),
        createdBy: input.createdBy,
        createdAt: now(),
        rotatedAt: null,
      });
      return { integration: toIntegration(row), secret };
    },
    async rotate(clientKey, id) {
      const secret = newSecret();
      const rotatedAt = now();
      const [changed] = await CiIntegration.update(
        { secretSealed: box.seal(secret, secretContext(clientKey, id)), rotatedAt },
        { where: { clientKey, id } },
      );
      if (changed === 0) return null;
      const row = await CiIntegration.findOne({ where: { clientKey, id } });
      return row ? { integration: toIntegration(row), secret } : null;
    },
    async delete(clientKey, id) {
      return db.sequelize.transaction(async (transaction) => {
        const removed = await CiIntegration.destroy({ where: { clientKey, id }, transaction });
        await CiDelivery.destroy({ where: { clientKey, integrationId: id }, transaction });
        return removed > 0;
      });
    },
    async list(clientKey) {
      const rows = await CiIntegration.findAll({ where: { clientKey }, order: [['createdAt', 'ASC'], ['id', 'ASC']] });
      return rows.map(toIntegration);
    },
    async getForIntake(id) {
      const row = await CiIntegration.findByPk(id);
      if (!row) return null;
      return { integration: toIntegration(row), secret: box.open(row.secretSealed, secretContext(row.clientKey, row.id)) };
    },
    async recordDelivery(clientKey, integrationId, record) {
      await CiDelivery.create({
        clientKey,
        integrationId,
        outcome: record.outcome,
        reason: record.reason === null ? null : toStorableText(record.reason.slice(0, 2000)),
        repository: record.repository,
        commitHash: record.commit,
        statusKey: record.statusKey,
        receivedAt: record.receivedAt,
      });
      // Trim to the newest KEEP_DELIVERIES: the log must not grow with every build.
      const keep = await CiDelivery.findAll({
        where: { clientKey, integrationId },
        order: [['id', 'DESC']],
        offset: KEEP_DELIVERIES - 1,
        limit: 1,
        attributes: ['id'],
      });
      const oldestKept = keep[0]?.id;
      if (oldestKept !== undefined) await CiDelivery.destroy({ where: { clientKey, integrationId, id: { [Op.lt]: oldestKept } } });
    },
    async listDeliveries(clientKey, integrationId, limit) {
      const rows = await CiDelivery.findAll({ where: { clientKey, integrationId }, order: [['id', 'DESC']], limit });
      return rows.map(
        (row): CiDeliveryRecord => ({
          outcome: row.outcome as CiDeliveryRecord['outcome'],
          reason: row.reason,
          repository: row.repository,
          commit: row.commitHash,
          statusKey: row.statusKey,
          receivedAt: new Date(row.receivedAt),
        }),
      );
    },
    async getReported(ref) {
      const row = await CiReportedStatus.findOne({
        where: { clientKey: ref.clientKey, repository: ref.repository, commitHash: ref.commit, statusKey: ref.key },
      });
      return row ? toRecord(row) : null;
    },
    async saveReported(ref, record, expectedFingerprint) {
      const values = {
        fingerprint: record.reported.fingerprint,
        reported: JSON.stringify(record.reported),
        status: JSON.stringify(record.status),
        bitbucketState: record.status.state,
        updatedAt: record.updatedAt,
      };
      const where = { clientKey: ref.clientKey, repository: ref.repository, commitHash: ref.commit, statusKey: ref.key };
      if (expectedFingerprint === null) {
        try {
          await CiReportedStatus.create({ ...where, ...values });
          return true;
        } catch (error) {
          if (error instanceof UniqueConstraintError) return false;
          throw error;
        }
      }
      // Compare and set on the fingerprint read before deciding: two deliveries racing on one key cannot both win.
      const [changed] = await CiReportedStatus.update(values, { where: { ...where, fingerprint: expectedFingerprint } });
      return changed === 1;
    },
    async listInProgressBefore(clientKey, before, limit) {
      const rows = await CiReportedStatus.findAll({
        where: { clientKey, bitbucketState: 'INPROGRESS', updatedAt: { [Op.lt]: before } },
        order: [['updatedAt', 'ASC']],
        limit,
      });
      return rows.map((row) => ({ clientKey: row.clientKey, repository: row.repository, commit: row.commitHash, key: row.statusKey, ...toRecord(row) }));
    },
  };
}
