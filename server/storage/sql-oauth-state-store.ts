import { Op } from 'sequelize';
import type { Database } from './create-database';

export interface OAuthState {
  stateHash: string;
  clientKey: string;
  userUuid: string;
  browserNonceHash: string;
  codeVerifierSealed: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface OAuthStateStore {
  create(state: OAuthState): Promise<void>;
  /** Returns the state and deletes it in one step: a state works once, even under a race. */
  consume(stateHash: string): Promise<OAuthState | null>;
  deleteExpired(now: Date): Promise<number>;
}

export function createOAuthStateStore(db: Database): OAuthStateStore {
  const { OAuthState } = db.models;
  return {
    async create(state) {
      await OAuthState.create(state);
    },
    async consume(stateHash) {
      return db.sequelize.transaction(async (transaction) => {
        const row = await OAuthState.findByPk(stateHash, { transaction });
        if (!row) return null;
        const deleted = await OAuthState.destroy({ where: { stateHash }, transaction });
        if (deleted !== 1) return null;
        return {
          stateHash: row.stateHash,
          clientKey: row.clientKey,
          userUuid: row.userUuid,
          browserNonceHash: row.browserNonceHash,
          codeVerifierSealed: row.codeVerifierSealed,
          expiresAt: new Date(row.expiresAt),
          createdAt: new Date(row.createdAt),
        };
      });
    },
    async deleteExpired(now) {
      return OAuthState.destroy({ where: { expiresAt: { [Op.lt]: now } } });
    },
  };
}
