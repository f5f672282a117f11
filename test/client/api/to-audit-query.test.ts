import { describe, expect, it } from 'vitest';
import { toAuditQuery } from '../../../client/api/to-audit-query';

describe('toAuditQuery', () => {
  it('is empty when nothing is filtered', () => {
    expect(toAuditQuery({})).toBe('');
    expect(toAuditQuery({ repo: '', actor: '  ', tool: '', outcome: 'any' })).toBe('');
  });

  it('keeps set fields in a fixed order, trimmed and escaped', () => {
    expect(
      toAuditQuery({ offset: 20, limit: 20, outcome: 'refused', tool: ' pullRequest.merge ', actor: '{u-1}', repo: 'acme/web' }),
    ).toBe('?repo=acme%2Fweb&actor=%7Bu-1%7D&tool=pullRequest.merge&outcome=refused&limit=20&offset=20');
  });

  it('sends offset 0 but drops a limit or offset that is not a usable integer', () => {
    expect(toAuditQuery({ limit: 20, offset: 0 })).toBe('?limit=20&offset=0');
    expect(toAuditQuery({ limit: 0, offset: -1 })).toBe('');
    expect(toAuditQuery({ limit: 2.5, offset: Number.NaN })).toBe('');
  });
});
