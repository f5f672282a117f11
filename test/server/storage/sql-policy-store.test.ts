import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPolicyStore } from '../../../server/policies';
import { createSqlPolicyStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';
import { describePolicyStoreContract } from '../policies/policy-store-contract';

describe('memory policy store', () => {
  describePolicyStoreContract(() => createMemoryPolicyStore());
});

describe.each(testDatabaseKinds())('SQL policy store (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(async () => opened.close());

  describePolicyStoreContract(() => createSqlPolicyStore(opened.db));

  it('a row that no longer passes the schema is refused on read, not handed to a rule', async () => {
    const store = createSqlPolicyStore(opened.db);
    await store.save('tampered', 'workspace', {}, '{a11ce000-0000-4000-8000-000000000001}', 0);
    await opened.db.models.Policy.update({ layer: JSON.stringify({ stale: { mode: 'maybe' } }) }, { where: { clientKey: 'tampered' } });
    await expect(store.get('tampered', 'workspace')).rejects.toThrow(/mode/);
  });
});
