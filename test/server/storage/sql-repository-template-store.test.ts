import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox } from '../../../server/auth';
import { repositoryTemplateSchema } from '../../../server/policies/repository-template';
import { createTenantStore } from '../../../server/storage';
import { createSqlRepositoryTemplateStore } from '../../../server/storage/sql-repository-template-store';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';
import { describeRepositoryTemplateStoreContract } from '../policies/repository-template-store-contract';

describe.each(testDatabaseKinds())('SQL repository template store (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await opened.close();
  });

  describeRepositoryTemplateStoreContract(() => createSqlRepositoryTemplateStore(opened.db));

  it('refuses a row that no longer parses rather than handing it to an apply', async () => {
    await opened.db.models.RepositoryTemplate.create({
      clientKey: 'tenant-x', name: 'broken', template: JSON.stringify({ name: 'broken', settings: { colour: 'blue' } }),
      version: 1, updatedBy: '{admin}', updatedAt: new Date(),
    });
    await expect(createSqlRepositoryTemplateStore(opened.db).get('tenant-x', 'broken')).rejects.toThrow();
  });

  it('is purged with its tenant on uninstall (every model with a clientKey)', async () => {
    const store = createSqlRepositoryTemplateStore(opened.db);
    await store.save('tenant-p', repositoryTemplateSchema.parse({ name: 'lib', settings: {} }), '{admin}', 0);
    await store.ensureBinding('tenant-p', { fullName: 'acme/lib', template: 'lib', status: 'in-sync', applied: [], pending: [], error: null, checkedAt: new Date() });
    await store.save('tenant-q', repositoryTemplateSchema.parse({ name: 'lib', settings: {} }), '{admin}', 0);
    await createTenantStore(opened.db, createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }]))).purge('tenant-p');
    expect(await store.list('tenant-p')).toEqual([]);
    expect(await store.listBindings('tenant-p')).toEqual([]);
    expect(await store.list('tenant-q')).toHaveLength(1);
  });
});
