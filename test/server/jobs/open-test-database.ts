import { createLogger } from '../../../server/log';
import { createDatabase, type Database } from '../../../server/storage';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-databases';

export interface OpenedTestDatabase {
  db: Database;
  test: TestDatabase;
  close(): Promise<void>;
}

/** A fresh migrated database of one kind (a PostgreSQL one gets its own schema), dropped on close. */
export async function openTestDatabase(kind: 'sqlite' | 'postgres'): Promise<OpenedTestDatabase> {
  const test = await createTestDatabase(kind);
  const db = await createDatabase({ url: test.url, schema: test.schema, logger: createLogger({ level: 'silent' }) });
  return {
    db,
    test,
    close: async () => {
      await db.close();
      await test.cleanup();
    },
  };
}
