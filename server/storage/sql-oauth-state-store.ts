import { Op } from 'sequelize';
import type { Database } from './create-database';
import type { OAuthStateStore } from '../auth/oauth-state-store';

export type { OAuthState, OAuthStateStore } from '../auth/oauth-state-store';


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
