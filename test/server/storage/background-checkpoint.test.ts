import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
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

  it('restarts the WAL under a writer that never pauses, so the file stops growing', async () => {
    const restartDir = mkdtempSync(path.join(tmpdir(), 'bosun-wal-restart-'));
    const file = path.join(restartDir, 'bosun.sqlite');
    const busy = await createDatabase({
      url: `sqlite:${file}`, logger: createLogger({ level: 'silent' }), sqliteCheckpoints: { everyMs: 100, restartPages: 300 },
    });
    try {
      await busy.sequelize.query('CREATE TABLE restart_probe (body TEXT NOT NULL)');
      const writer = busy.sqliteWriter;
      if (!writer) throw new Error('a SQLite file has a raw writer');
      // The WAL header's checkpoint sequence number (bytes 12-15, big-endian) counts the WAL's restarts.
      const restarts = () => {
        const fd = openSync(`${file}-wal`, 'r');
        try {
          const header = Buffer.alloc(16);
          readSync(fd, header, 0, 16, 0);
          return header.readUInt32BE(12);
        } finally {
          closeSync(fd);
        }
      };
      // A transaction every millisecond or so, ~4 KB each (about the intake's write rate at 500 webhooks/s):
      // a checkpoint (copy and fsync) never finds a moment with nothing committed since it began.
      const body = 'y'.repeat(4000);
      const rows = 2000;
      await writer.transaction((query) => query('INSERT INTO restart_probe (body) VALUES (?)', [body]));
      const before = restarts();
      for (let i = 1; i < rows; i++) {
        await writer.transaction((query) => query('INSERT INTO restart_probe (body) VALUES (?)', [body]));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(restarts() - before).toBeGreaterThanOrEqual(2);
      // Without restarts the WAL holds every frame written (> 8 MB); restarted past 300 pages (1.2 MB) it
      // holds what came between two restarts (how much depends on the machine's load: bounded loosely).
      expect(statSync(`${file}-wal`).size).toBeLessThan((rows * body.length) / 2);
      const [counted] = await busy.sequelize.query('SELECT COUNT(*) AS n FROM restart_probe');
      expect((counted as Array<{ n: number }>)[0]?.n).toBe(rows);
    } finally {
      await busy.close();
      rmSync(restartDir, { recursive: true, force: true });
    }
  });
});
