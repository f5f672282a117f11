import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  schema?: string;
  /** Drops what the test created. */
  cleanup(): Promise<void>;
}

/** The PostgreSQL server to test against, if any (CI sets DATABASE_URL). */
export function postgresUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

/** SQLite always; PostgreSQL too when DATABASE_URL points at one. */
export function testDatabaseKinds(): Array<'sqlite' | 'postgres'> {
  return postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
}

export function tempDir(prefix = 'bosun-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = tempDir();
    return { name: 'sqlite', url: `sqlite:${path.join(dir, 'bosun.sqlite')}`, cleanup: async () => {} };
  }
  const url = postgresUrl();
  if (!url) throw new Error('No PostgreSQL configured (DATABASE_URL)');
  // A schema per suite: files run in parallel against one database without seeing each other.
  const schema = `bosun_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    name: 'postgres',
    url,
    schema,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
