import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface BenchDatabase {
  dataDir: string;
  databaseUrl: string;
  /** The PostgreSQL schema of this run ('' on SQLite): pass it as BENCH_PG_SCHEMA. */
  schema: string;
  drop(): Promise<void>;
}

/**
 * A fresh store for one benchmark run: a SQLite file in a temporary folder, or a schema of its own
 * in the PostgreSQL that DATABASE_URL names (null when none is named: the caller says it skipped).
 */
export async function createBenchDatabase(kind: 'sqlite' | 'postgres'): Promise<BenchDatabase | null> {
  const pgUrl = process.env.DATABASE_URL && /^postgres/.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : null;
  if (kind === 'postgres' && !pgUrl) return null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-'));
  if (kind === 'sqlite' || !pgUrl) {
    return { dataDir, databaseUrl: `sqlite:${path.join(dataDir, 'bench.sqlite')}`, schema: '', drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `bosun_bench_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return {
    dataDir,
    databaseUrl: pgUrl,
    schema,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
