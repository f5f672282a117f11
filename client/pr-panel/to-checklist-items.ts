import type { ReadinessView, UnblockerView } from '../../server/web/api/policy-views';

export type LozengeAppearance = 'success' | 'inprogress' | 'removed' | 'default' | 'moved';

export interface ChecklistItem {
  id: string;
  status: 'pass' | 'fail' | 'pending';
  message: string;
  appearance: LozengeAppearance;
  label: string;
  /** Where the rule comes from, as a person reads it. */
  origin: string;
  /** Who can lift it, in words; null when it passes. */
  who: string | null;
}

export interface Checklist {
  verdict: { label: string; appearance: LozengeAppearance };
  /** Bitbucket's own answer differs from Bosun's (merge checks that only warn, or Bosun's policy). */
  note: string | null;
  /** Blockers first, then what passes. */
  items: ChecklistItem[];
}

const ORIGIN = { bitbucket: 'Bitbucket', 'merge-check': 'Merge check', bosun: 'Bosun policy' } as const;

function toWho(unblocker: UnblockerView | null, nameOf: (uuid: string) => string): string | null {
  if (!unblocker) return null;
  switch (unblocker.kind) {
    case 'people':
      return unblocker.userUuids.length ? `${unblocker.userUuids.map(nameOf).join(', ')}: ${unblocker.note}` : unblocker.note;
    case 'time':
      return `Lifts by itself at ${new Date(unblocker.until).toUTCString()}.`;
    case 'author':
      return `The author: ${unblocker.note}`;
    default:
      return unblocker.note;
  }
}

/** The readiness view as the panel's checklist. */
export function toChecklistItems(view: ReadinessView, nameOf: (uuid: string) => string): Checklist {
  const verdict =
    view.verdict === 'ready'
      ? { label: 'Ready to merge', appearance: 'success' as const }
      : view.verdict === 'waiting'
        ? { label: 'Waiting', appearance: 'inprogress' as const }
        : { label: 'Blocked', appearance: 'removed' as const };
  const note =
    !view.ready && view.bitbucketAllowsMerge
      ? 'Bitbucket would let this merge now: what is left is advice (merge checks it does not enforce here, or Bosun policy).'
      : view.ready && !view.bitbucketAllowsMerge
        ? "Bitbucket still refuses the merge until Bosun's own status turns green."
        : null;
  const items = view.conditions
    .map((c): ChecklistItem => ({
      id: c.id,
      status: c.status,
      message: c.message,
      appearance: c.status === 'pass' ? 'success' : c.status === 'pending' ? 'inprogress' : 'removed',
      label: c.status === 'pass' ? 'OK' : c.status === 'pending' ? 'Pending' : c.enforced ? 'Blocks' : 'Advice',
      origin: ORIGIN[c.source],
      who: c.status === 'pass' ? null : toWho(c.unblockedBy, nameOf),
    }))
    .sort((a, b) => Number(a.status === 'pass') - Number(b.status === 'pass'));
  return { verdict, note, items };
}
