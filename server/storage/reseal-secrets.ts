import { tokenContext, type SecretBox } from '../auth';
import type { Database } from './create-database';

export interface ResealReport {
  tenants: number;
  connections: number;
  oauthStates: number;
}

/**
 * Re-encrypts every sealed value with the box's primary key (after a key was added), each in
 * its own small transaction so a large table never holds a long lock. Safe to run again.
 */
export async function resealSecrets(db: Database, box: SecretBox, primaryKeyId: string): Promise<ResealReport> {
  const report: ResealReport = { tenants: 0, connections: 0, oauthStates: 0 };
  const { Tenant, UserConnection, OAuthState } = db.models;

  for (const row of await Tenant.findAll()) {
    if (box.keyIdOf(row.sharedSecretSealed) === primaryKeyId) continue;
    const context = `tenants:${row.clientKey}:shared_secret`;
    await row.update({ sharedSecretSealed: box.seal(box.open(row.sharedSecretSealed, context), context) });
    report.tenants += 1;
  }
  for (const row of await UserConnection.findAll()) {
    const access = tokenContext(row.clientKey, row.userUuid, 'access');
    const refresh = tokenContext(row.clientKey, row.userUuid, 'refresh');
    const stale = box.keyIdOf(row.accessTokenSealed) !== primaryKeyId || (row.refreshTokenSealed !== null && box.keyIdOf(row.refreshTokenSealed) !== primaryKeyId);
    if (!stale) continue;
    await db.sequelize.transaction(async (transaction) => {
      await row.reload({ transaction });
      await row.update(
        {
          accessTokenSealed: box.seal(box.open(row.accessTokenSealed, access), access),
          refreshTokenSealed: row.refreshTokenSealed ? box.seal(box.open(row.refreshTokenSealed, refresh), refresh) : null,
        },
        { transaction },
      );
    });
    report.connections += 1;
  }
  for (const row of await OAuthState.findAll()) {
    if (box.keyIdOf(row.codeVerifierSealed) === primaryKeyId) continue;
    const context = `oauth_states:${row.stateHash}:code_verifier`;
    await row.update({ codeVerifierSealed: box.seal(box.open(row.codeVerifierSealed, context), context) });
    report.oauthStates += 1;
  }
  return report;
}
