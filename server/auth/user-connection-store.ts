import { PermanentError, RetryableError } from '../errors';
/** The connection store port: auth declares what it needs, storage implements it. */
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

export class AccountAlreadyLinkedError extends PermanentError<'ACCOUNT_ALREADY_LINKED'> {
  constructor(message: string) {
    super('ACCOUNT_ALREADY_LINKED', 409, message);
  }
}

/** Another process has held this person's refresh lease for longer than a refresh can take. */
export class RefreshLeaseBusyError extends RetryableError<'DATABASE_BUSY'> {
  /** Busy, not wrong: answered like a busy database (503, Retry-After), never a 500. */
  constructor() {
    super('DATABASE_BUSY', 503, 1000, 'Another Bosun process is refreshing this Bitbucket connection; try again in a moment');
  }
}

export interface UserConnectionStore {
  get(clientKey: string, userUuid: string): Promise<StoredConnection | null>;
  /** Inserts or replaces this user's connection; refuses an account linked to another user of the tenant. */
  save(connection: Omit<StoredConnection, 'createdAt' | 'updatedAt'>, now: Date): Promise<void>;
  delete(clientKey: string, userUuid: string): Promise<boolean>;
  /**
   * Runs `fn` holding this row's refresh lease, re-reading the row once the lease is held, so
   * concurrent refreshes across processes happen once. The lease is a row field, not a database
   * lock: `fn` calls Bitbucket's token endpoint, and nothing else may wait on a lock that long
   * (on SQLite a transaction held across that call stopped every other write).
   */
  withLock<T>(clientKey: string, userUuid: string, fn: (current: StoredConnection | null, update: (patch: ConnectionPatch) => Promise<void>) => Promise<T>): Promise<T>;
  /** Every sealed value with its row identity, for key rotation. */
  listAll(): Promise<StoredConnection[]>;
}
