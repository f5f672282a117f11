import { ConnectionAcquireTimeoutError, DatabaseError, TimeoutError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { RefreshLeaseBusyError, toDatabaseBusyError } from '../../../server/storage';
import { toHttpError } from '../../../server/web/error-handler';

const pgError = (code: string) => new DatabaseError(Object.assign(new Error(`pg ${code}`), { code, sql: 'SELECT 1', parameters: {} }) as never);

describe('a busy database is a 503 with Retry-After, never a 500', () => {
  it.each([
    ['SQLITE_BUSY after the timed retries', new TimeoutError(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }) as never)],
    ['no free pooled connection', new ConnectionAcquireTimeoutError(new Error('Operation timeout'))],
    ['PostgreSQL deadlock', pgError('40P01')],
    ['PostgreSQL serialization failure', pgError('40001')],
    ['PostgreSQL lock not available', pgError('55P03')],
    ['another process refreshing the same connection', new RefreshLeaseBusyError()],
  ])('%s', (_name, err) => {
    const mapped = toHttpError(err, [toDatabaseBusyError]);
    expect(mapped.status).toBe(503);
    expect(mapped.code).toBe('DATABASE_BUSY');
    expect(mapped.headers?.['Retry-After']).toBe('1');
  });

  it('a database error that is a bug stays a 500', () => {
    expect(toHttpError(pgError('42601'), [toDatabaseBusyError]).status).toBe(500);
  });
});
