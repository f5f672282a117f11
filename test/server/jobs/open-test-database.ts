import { afterAll, beforeAll } from 'vitest';
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

export interface DatabaseWithSecondPool {
  /** The suite's database (its own, dropped after the suite). */
  opened: OpenedTestDatabase;
  /** A second connection pool on the same database: another instance or worker process. */
  second: Database;
}

/** Opens a fresh database and a second pool on it before the suite's tests, and closes both after. */
export function useDatabaseWithSecondPool(kind: 'sqlite' | 'postgres'): DatabaseWithSecondPool {
  const pools = {} as DatabaseWithSecondPool;
  beforeAll(async () => {
    pools.opened = await openTestDatabase(kind);
    pools.second = await createDatabase({ url: pools.opened.test.url, schema: pools.opened.test.schema, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await pools.second?.close();
    await pools.opened?.close();
  });
  return pools;
}
