import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox, createTokenVault } from '../../../server/auth';
import { createLogger } from '../../../server/log';
import { AccountAlreadyLinkedError, createUserConnectionStore, type UserConnectionStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

describe.each(testDatabaseKinds())('user connections (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  let store: UserConnectionStore;
  const box = createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }]));
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    store = createUserConnectionStore(opened.db);
  });
  afterAll(async () => opened.close());

  const vault = () => createTokenVault({ connections: store, box, tokens: null, now: () => new Date(), logger: createLogger({ level: 'silent' }) });
  const profile = (uuid: string) => ({ uuid, accountId: null, displayName: 'Someone', nickname: null, avatarUrl: null, email: null });
  const tokens = { accessToken: 'access-token-value', refreshToken: 'refresh-token-value', expiresAt: new Date(Date.now() + 3600_000), scopes: ['account'] };
  const tenant = { clientKey: 'tenant-a', baseUrl: 'http://bitbucket.test' };

  it('refuses to link a Bitbucket account already linked to another Bosun user of the tenant', async () => {
    await vault().save(tenant, '{user-1}', profile('{bb-account}'), tokens);
    await expect(vault().save(tenant, '{user-2}', profile('{bb-account}'), tokens)).rejects.toBeInstanceOf(AccountAlreadyLinkedError);
    expect(await store.get('tenant-a', '{user-2}')).toBeNull();
    expect((await store.get('tenant-a', '{user-1}'))?.bitbucketUuid).toBe('{bb-account}');
  });

  it('lets the same person reconnect, and the same account be linked in another tenant', async () => {
    await vault().save(tenant, '{user-1}', profile('{bb-account}'), { ...tokens, accessToken: 'second-access-token' });
    expect(await vault().getAccessToken(tenant, '{user-1}')).toBe('second-access-token');
    await vault().save({ ...tenant, clientKey: 'tenant-b' }, '{user-9}', profile('{bb-account}'), tokens);
    expect(await store.get('tenant-b', '{user-9}')).not.toBeNull();
  });
});
