/**
 * A clock for a Bosun under test that starts just past the beginning of a scheduler period, so what
 * the test does next (an install, the scheduler's tick) falls in one known period instead of a guess
 * about minute boundaries. It is real time shifted by a fixed offset chosen once, never stepped, so
 * leases, job due times and token expiry keep running; the offset stays within what both sides'
 * JWT checks tolerate (Bosun takes an `iat` up to 30 s ahead of its clock, the sandbox up to 60 s),
 * so Bosun runs at most 25 s behind or 55 s ahead of the sandbox and the tokens it signs.
 */
export function createPeriodAlignedClock(everyMs: number, intoPeriodMs = 500): { now: () => Date; periodKey: () => number } {
  const real = Date.now();
  const position = real % everyMs;
  let offsetMs = intoPeriodMs - position;
  if (offsetMs < -25_000) offsetMs += everyMs;
  if (offsetMs > 55_000 || offsetMs < -25_000) throw new Error(`A ${everyMs} ms period cannot be aligned within the JWT leeways`);
  const now = () => new Date(Date.now() + offsetMs);
  return { now, periodKey: () => Math.floor(now().getTime() / everyMs) };
}
