import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { createDatabase, type Database } from '../../../server/storage';
import { createTestDatabase } from '../../helpers/test-databases';

interface TracedConnection {
  on(event: 'trace', listener: (sql: string) => void): void;
  removeAllListeners(event: 'trace'): void;
}

describe('SQLite connections through Sequelize', () => {
  let db: Database;
  beforeAll(async () => {
    const test = await createTestDatabase('sqlite');
    db = await createDatabase({ url: test.url, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await db.close();
  });

  it('configures a connection once, not on every query (each query asks the connection manager for it)', async () => {
    const manager = (db.sequelize as unknown as { connectionManager: { getConnection(o?: object): Promise<TracedConnection> } }).connectionManager;
    const connection = await manager.getConnection();
    const traced: string[] = [];
    connection.on('trace', (sql) => traced.push(sql));
    try {
      for (let i = 0; i < 3; i++) await db.sequelize.query('SELECT count(*) AS n FROM tenants', { type: QueryTypes.SELECT });
      await db.sequelize.query(`INSERT INTO bosun_migrations (id, applied_at) VALUES ('test-connections', '2026-12-02')`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      connection.removeAllListeners('trace');
    }
    expect(traced.filter((sql) => /^\s*PRAGMA/i.test(sql))).toEqual([]);
    expect(traced.filter((sql) => /tenants/.test(sql))).toHaveLength(3);
    // A row write outside a transaction runs on a connection of its own (next case), yet it was written.
    expect(traced.filter((sql) => /bosun_migrations/.test(sql))).toEqual([]);
    expect(await db.sequelize.query("SELECT id FROM bosun_migrations WHERE id = 'test-connections'", { type: QueryTypes.SELECT })).toHaveLength(1);
  });

  it('runs a row write outside a transaction off the default connection, so it (and the write gate) does not wait for a read under way there', async () => {
    await db.sequelize.query('CREATE TABLE IF NOT EXISTS connection_probe (n INTEGER NOT NULL)');
    const order: string[] = [];
    // ~1 s of work for SQLite on the default connection (the one every Sequelize read uses).
    const read = db.sequelize
      .query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c', { type: QueryTypes.SELECT })
      .then(() => order.push('long read'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const write = db.sequelize.query('INSERT INTO connection_probe (n) VALUES (1)').then(() => order.push('write'));
    const update = db.models.Job.update({ attempts: 0 }, { where: { id: 'no-such-job' } }).then(() => order.push('model update'));
    await Promise.all([read, write, update]);
    expect(order).toEqual(['write', 'model update', 'long read']);
    const [counted] = await db.sequelize.query<{ n: number }>('SELECT count(*) AS n FROM connection_probe', { type: QueryTypes.SELECT });
    expect(counted?.n).toBe(1);
  });

  it('still gives a transaction connection the busy timeout and synchronous = NORMAL', async () => {
    const [row] = await db.sequelize.transaction(async (transaction) => db.sequelize.query<{ synchronous: number }>('PRAGMA synchronous', { type: QueryTypes.SELECT, transaction }));
    // 1 = NORMAL (the default, FULL, is 2).
    expect(row!.synchronous).toBe(1);
  });
});
