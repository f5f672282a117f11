import { randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Database } from './create-database';
import type { UserConnectionRow } from './models';
import { AccountAlreadyLinkedError, RefreshLeaseBusyError, type ConnectionPatch, type StoredConnection, type UserConnectionStore } from '../auth/user-connection-store';

export { AccountAlreadyLinkedError, RefreshLeaseBusyError } from '../auth/user-connection-store';
export type { ConnectionPatch, ConnectionStatus, StoredConnection, UserConnectionStore } from '../auth/user-connection-store';


/** A refresh is one HTTP call with a 10 s timeout; a lease outlives it, and a dead holder's lease ends. */
const REFRESH_LEASE_MS = 30_000;
/** How long a caller waits for another process's refresh before giving up. */
const REFRESH_LEASE_WAIT_MS = 35_000;

function toConnection(row: UserConnectionRow): StoredConnection {
  return {
    clientKey: row.clientKey,
    userUuid: row.userUuid,
    bitbucketUuid: row.bitbucketUuid,
    accountId: row.accountId,
    displayName: row.displayName,
    nickname: row.nickname,
    avatarUrl: row.avatarUrl,
    email: row.email,
    accessTokenSealed: row.accessTokenSealed,
    refreshTokenSealed: row.refreshTokenSealed,
    accessExpiresAt: new Date(row.accessExpiresAt),
    scopes: row.scopes.split(' ').filter(Boolean),
    status: row.status === 'needs_reconnect' ? 'needs_reconnect' : 'connected',
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

export function createUserConnectionStore(db: Database): UserConnectionStore {
  const { UserConnection } = db.models;
  const patchValues = (patch: ConnectionPatch, now: Date) => {
    const { scopes, ...rest } = patch;
    return { ...rest, ...(scopes ? { scopes: scopes.join(' ') } : {}), updatedAt: now };
  };
  return {
    async get(clientKey, userUuid) {
      const row = await UserConnection.findOne({ where: { clientKey, userUuid } });
      return row ? toConnection(row) : null;
    },
    async save(connection, now) {
      try {
        await db.sequelize.transaction(async (transaction) => {
          const other = await UserConnection.findOne({ where: { clientKey: connection.clientKey, bitbucketUuid: connection.bitbucketUuid }, transaction });
          if (other && other.userUuid !== connection.userUuid) {
            throw new AccountAlreadyLinkedError('This Bitbucket account is already connected to another Bosun user of this workspace');
          }
          const values = { ...connection, scopes: connection.scopes.join(' '), updatedAt: now };
          const existing = await UserConnection.findOne({ where: { clientKey: connection.clientKey, userUuid: connection.userUuid }, transaction });
          if (existing) await existing.update(values, { transaction });
          else await UserConnection.create({ ...values, createdAt: now }, { transaction });
        });
      } catch (err) {
        if (err instanceof UniqueConstraintError) {
          throw new AccountAlreadyLinkedError('This Bitbucket account is already connected to another Bosun user of this workspace');
        }
        throw err;
      }
    },
    async delete(clientKey, userUuid) {
      return (await UserConnection.destroy({ where: { clientKey, userUuid } })) > 0;
    },
    async withLock(clientKey, userUuid, fn) {
      const owner = randomUUID();
      const giveUpAt = Date.now() + REFRESH_LEASE_WAIT_MS;
      for (let attempt = 0; ; attempt++) {
        const now = new Date();
        const [taken] = await UserConnection.update(
          { refreshLeaseOwner: owner, refreshLeaseUntil: new Date(now.getTime() + REFRESH_LEASE_MS) },
          { where: { clientKey, userUuid, [Op.or]: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { [Op.lt]: now } }] } },
        );
        if (taken === 1) break;
        // No row at all: nothing to lease, nothing to refresh.
        if ((await UserConnection.count({ where: { clientKey, userUuid } })) === 0) return fn(null, async () => {});
        if (Date.now() > giveUpAt) throw new RefreshLeaseBusyError();
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
      }
      try {
        const row = await UserConnection.findOne({ where: { clientKey, userUuid } });
        // Only the lease holder writes: a holder that stalled past its lease cannot overwrite its successor.
        const update = async (patch: ConnectionPatch) => {
          await UserConnection.update(patchValues(patch, new Date()), { where: { clientKey, userUuid, refreshLeaseOwner: owner } });
        };
        return await fn(row ? toConnection(row) : null, update);
      } finally {
        await UserConnection.update({ refreshLeaseOwner: null, refreshLeaseUntil: null }, { where: { clientKey, userUuid, refreshLeaseOwner: owner } });
      }
    },
    async listAll() {
      return (await UserConnection.findAll({ order: [['id', 'ASC']] })).map(toConnection);
    },
  };
}
