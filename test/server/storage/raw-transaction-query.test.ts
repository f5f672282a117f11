import { describe, expect, it } from 'vitest';
import { DataTypes } from 'sequelize';
import { toSqlDateTime, toValuesPlaceholders } from '../../../server/storage/raw-transaction-query';

describe('raw transaction query helpers', () => {
  it('formats a date exactly as Sequelize writes a DATE (SQLite compares them as text)', () => {
    const type = new DataTypes.DATE();
    for (const date of [new Date('2026-12-02T03:55:00.123Z'), new Date('2001-01-09T23:59:59.001Z'), new Date(0)]) {
      expect(toSqlDateTime(date)).toBe((type as unknown as { _stringify(d: Date, o: object): string })._stringify(date, { timezone: '+00:00' }));
    }
  });

  it('names one placeholder per value', () => {
    expect(toValuesPlaceholders(2, 3)).toBe('(?, ?, ?), (?, ?, ?)');
  });
});
