import { describe, expect, it } from 'vitest';
import { filterByQuery } from '../../sandbox/rest/bbql';

const items = [
  { state: 'OPEN', updated: '2026-01-10T10:00:00.000000+00:00' },
  { state: 'MERGED', updated: '2026-01-12T10:00:00.000000+00:00' },
  { state: 'DECLINED', updated: '2026-01-05T10:00:00.000000+00:00' },
];
const fields = { state: (i: (typeof items)[number]) => i.state, updated_on: (i: (typeof items)[number]) => i.updated };

describe('sandbox BBQL subset', () => {
  it('compares datetimes as instants, whatever their offset notation', () => {
    expect(filterByQuery(items, 'updated_on > "2026-01-10T10:00:00.000Z"', fields).map((i) => i.state)).toEqual(['MERGED']);
    expect(filterByQuery(items, 'updated_on >= "2026-01-10T10:00:00.000Z"', fields).map((i) => i.state)).toEqual(['OPEN', 'MERGED']);
    expect(filterByQuery(items, 'updated_on < "2026-01-10T10:00:00.000Z"', fields).map((i) => i.state)).toEqual(['DECLINED']);
  });

  it('joins groups with OR, clauses with AND, one level of parentheses', () => {
    expect(filterByQuery(items, 'state = "OPEN" OR updated_on > "2026-01-11T00:00:00Z"', fields).map((i) => i.state)).toEqual(['OPEN', 'MERGED']);
    expect(filterByQuery(items, '(state != "OPEN" AND updated_on < "2026-01-11T00:00:00Z") OR state = "MERGED"', fields).map((i) => i.state)).toEqual(['MERGED', 'DECLINED']);
    expect(() => filterByQuery(items, 'nope > "x"', fields)).toThrow(/Invalid query/);
  });
});
