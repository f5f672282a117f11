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
    expect(traced.filter((sql) => /tenants|bosun_migrations/.test(sql))).toHaveLength(4);
  });

  it('still gives a transaction connection the busy timeout and synchronous = NORMAL', async () => {
    const [row] = await db.sequelize.transaction(async (transaction) => db.sequelize.query<{ synchronous: number }>('PRAGMA synchronous', { type: QueryTypes.SELECT, transaction }));
    // 1 = NORMAL (the default, FULL, is 2).
    expect(row!.synchronous).toBe(1);
  });
});
