import { UniqueConstraintError } from 'sequelize';
import type { Database } from './create-database';
import type { UserConnectionRow } from './models';

export type ConnectionStatus = 'connected' | 'needs_reconnect';

/** A stored connection; token fields stay sealed here, the vault opens them. */
export interface StoredConnection {
  clientKey: string;
  userUuid: string;
  bitbucketUuid: string;
  accountId: string | null;
  displayName: string;
  nickname: string | null;
  avatarUrl: string | null;
  email: string | null;
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  accessExpiresAt: Date;
  scopes: string[];
  status: ConnectionStatus;
  createdAt: Date;
  updatedAt: Date;
}

export type ConnectionPatch = Partial<Pick<StoredConnection, 'accessTokenSealed' | 'refreshTokenSealed' | 'accessExpiresAt' | 'scopes' | 'status'>>;

export class AccountAlreadyLinkedError extends Error {
  readonly code = 'ACCOUNT_ALREADY_LINKED' as const;
}

export interface UserConnectionStore {
  get(clientKey: string, userUuid: string): Promise<StoredConnection | null>;
  /** Inserts or replaces this user's connection; refuses an account linked to another user of the tenant. */
  save(connection: Omit<StoredConnection, 'createdAt' | 'updatedAt'>, now: Date): Promise<void>;
  delete(clientKey: string, userUuid: string): Promise<boolean>;
  /**
   * Runs `fn` holding an exclusive lock on the row (PostgreSQL row lock; SQLite write lock),
   * re-reading it inside the lock, so concurrent refreshes across processes happen once.
   */
  withLock<T>(clientKey: string, userUuid: string, fn: (current: StoredConnection | null, update: (patch: ConnectionPatch) => Promise<void>) => Promise<T>): Promise<T>;
  /** Every sealed value with its row identity, for key rotation. */
  listAll(): Promise<StoredConnection[]>;
}

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
      // SQLite transactions are IMMEDIATE (create-database): the write lock is the row lock.
      return db.sequelize.transaction(async (transaction) => {
        const row = await UserConnection.findOne({
          where: { clientKey, userUuid },
          transaction,
          ...(db.dialect === 'postgres' ? { lock: transaction.LOCK.UPDATE } : {}),
        });
        const update = async (patch: ConnectionPatch) => {
          if (!row) return;
          await row.update(patchValues(patch, new Date()), { transaction });
        };
        return fn(row ? toConnection(row) : null, update);
      });
    },
    async listAll() {
      return (await UserConnection.findAll({ order: [['id', 'ASC']] })).map(toConnection);
    },
  };
}
