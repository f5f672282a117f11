const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 minutes ago", "2 days ago"; falls back to the date after 30 days. `now` is injected for tests. */
export const toRelativeTime = (iso: string, now: number = Date.now()): string => {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  const elapsed = now - time;
  if (elapsed < 0 || elapsed < MINUTE) return 'just now';
  const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  if (elapsed < HOUR) return plural(Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return plural(Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < 30 * DAY) return plural(Math.floor(elapsed / DAY), 'day');
  return toDateTime(iso);
};

/** A short absolute date and time in the viewer's locale, e.g. "12 Mar 2026, 14:05". */
export const toDateTime = (iso: string): string => {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
};

/** The epoch milliseconds of an ISO date, 0 when it does not parse (so sorting stays total). */
export const toEpochMillis = (iso: string): number => {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
};
