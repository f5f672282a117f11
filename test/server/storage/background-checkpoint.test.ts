import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { createDatabase, type Database } from '../../../server/storage';

/**
 * The SQLite checkpoint timer no longer waits for the process's write gate: while one transaction
 * holds the gate, what was committed before it still reaches the database file (issue 10: the gated
 * checkpoint's fsync made every webhook arriving meanwhile wait).
 */
describe('SQLite background checkpoints', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bosun-checkpoint-'));
    db = await createDatabase({ url: `sqlite:${path.join(dir, 'bosun.sqlite')}`, logger: createLogger({ level: 'silent' }) });
    await db.sequelize.query('CREATE TABLE checkpoint_probe (body TEXT NOT NULL)');
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed WAL pages into the database file while a transaction holds the write gate', async () => {
    const file = path.join(dir, 'bosun.sqlite');
    // Let the timer fold the migrations in first, so the file's size moves only with what follows.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = statSync(file).size;
    await db.sequelize.query('INSERT INTO checkpoint_probe (body) VALUES (?)', { replacements: ['x'.repeat(2_000_000)] });
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000);
    let grewWhileHeld = 0;
    await db.sequelize.transaction(async () => {
      // Held for up to 4 s: at least two ticks of the 1 s timer, on a loaded machine too.
      for (let waited = 0; waited < 4000 && grewWhileHeld === 0; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (statSync(file).size >= before + 1_500_000) grewWhileHeld = statSync(file).size;
      }
    });
    expect(grewWhileHeld).toBeGreaterThanOrEqual(before + 1_500_000);
  });
});
