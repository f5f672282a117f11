import type { AuditEntryView } from '../../server/web/api/contracts';

/** Who acted, as people know them: the display name (nickname beside it), else the ids Bosun kept; the app itself; or a rule. */
export const toActorLabel = (actor: AuditEntryView['actor']): { label: string; detail: string; isId: boolean } => {
  if (actor.kind === 'installation') return { label: 'Bosun', detail: 'app', isId: false };
  if (actor.kind === 'rule') return { label: 'A rule', detail: actor.displayName ?? 'automation', isId: false };
  if (actor.displayName) return { label: actor.displayName, detail: actor.nickname ? `@${actor.nickname}` : 'user', isId: false };
  if (actor.nickname) return { label: `@${actor.nickname}`, detail: 'user', isId: false };
  return { label: actor.accountId ?? actor.userUuid ?? 'Unknown user', detail: 'user', isId: true };
};

/** "comment · #42" style: the trigger kind, then its reference when there is one. */
export const toTriggerLabel = (trigger: AuditEntryView['trigger']): string =>
  trigger.ref ? `${trigger.kind} · ${trigger.ref}` : trigger.kind;

/** "1–20 of 57" for the rows on screen; "0 of 0" when there are none. */
export const toPageRange = (offset: number, count: number, total: number): string =>
  count === 0 ? `0 of ${total}` : `${offset + 1}–${offset + count} of ${total}`;
