import { toBranchGlob } from '../rules';
import type { QueueSettings } from './queue-state';

/**
 * Is the branch frozen at `now`: the switch is on, or a scheduled window covers it ([start, end),
 * branches by glob, none listed: every branch). Returns when it thaws (null: not frozen, or only
 * the switch, which has no end).
 */
export function getQueueFreeze(settings: QueueSettings, branch: string, now: Date): { frozen: boolean; until: Date | null; reason: string | null } {
  const t = now.getTime();
  const windows = settings.freezeWindows.filter(
    (w) => Date.parse(w.start) <= t && t < Date.parse(w.end) && (!w.branches || w.branches.length === 0 || w.branches.some((g) => toBranchGlob(g).test(branch))),
  );
  if (settings.frozen) return { frozen: true, until: null, reason: 'frozen by an admin' };
  if (windows.length === 0) return { frozen: false, until: null, reason: null };
  const until = new Date(Math.max(...windows.map((w) => Date.parse(w.end))));
  const reason = windows.map((w) => w.reason).filter((r): r is string => Boolean(r)).join('; ') || 'scheduled freeze';
  return { frozen: true, until, reason };
}

/** When the queue should next be ticked for the clock's sake (a freeze window starts or ends), or null. */
export function getNextQueueWake(settings: QueueSettings, now: Date): Date | null {
  const t = now.getTime();
  const times = settings.freezeWindows.flatMap((w) => [Date.parse(w.start), Date.parse(w.end)]).filter((x) => x > t);
  return times.length === 0 ? null : new Date(Math.min(...times));
}
