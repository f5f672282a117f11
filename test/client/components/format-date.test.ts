import { describe, expect, it } from 'vitest';
import { toEpochMillis, toRelativeTime } from '../../../client/components/format-date';

const now = Date.parse('2026-03-10T12:00:00.000Z');

describe('toRelativeTime', () => {
  it.each([
    ['2026-03-10T11:59:30.000Z', 'just now'],
    ['2026-03-10T12:00:30.000Z', 'just now'],
    ['2026-03-10T11:59:00.000Z', '1 minute ago'],
    ['2026-03-10T11:15:00.000Z', '45 minutes ago'],
    ['2026-03-10T09:00:00.000Z', '3 hours ago'],
    ['2026-03-09T12:00:00.000Z', '1 day ago'],
    ['not a date', '—'],
  ])('formats %s as %s', (iso, expected) => {
    expect(toRelativeTime(iso, now)).toBe(expected);
  });
});

describe('toEpochMillis', () => {
  it('parses ISO dates and maps garbage to 0', () => {
    expect(toEpochMillis('2026-03-10T12:00:00.000Z')).toBe(now);
    expect(toEpochMillis('garbage')).toBe(0);
  });
});
