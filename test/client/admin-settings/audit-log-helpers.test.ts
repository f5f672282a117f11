import { describe, expect, it } from 'vitest';
import { toActorLabel, toPageRange, toTriggerLabel } from '../../../client/admin-settings/to-audit-labels';
import { toDuration } from '../../../client/components/format-duration';
import { toAuditOutcomeLozenge } from '../../../client/components/to-audit-outcome-lozenge';

describe('toAuditOutcomeLozenge', () => {
  it.each([
    ['succeeded', 'success', 'Succeeded'],
    ['failed', 'removed', 'Failed'],
    ['refused', 'moved', 'Refused'],
    ['skipped', 'default', 'Skipped'],
  ] as const)('shows %s as %s', (outcome, appearance, label) => {
    expect(toAuditOutcomeLozenge(outcome)).toEqual({ appearance, label });
  });
});

describe('toDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [1_234, '1.2 s'],
    [59_940, '59.9 s'],
    [59_960, '1 min'],
    [125_000, '2 min 5 s'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d ms reads %s', (ms, text) => {
    expect(toDuration(ms)).toBe(text);
  });
});

describe('audit labels', () => {
  it('names the actor by account id, then uuid', () => {
    expect(toActorLabel({ kind: 'user', userUuid: '{u}', accountId: '557058:a', displayName: 'Ada Lovelace', nickname: 'ada' })).toEqual({ label: 'Ada Lovelace', detail: '@ada', isId: false });
    expect(toActorLabel({ kind: 'user', userUuid: '{u}', accountId: '557058:a', displayName: null, nickname: 'ada' })).toEqual({ label: '@ada', detail: 'user', isId: false });
    // Entries written before names were stored: the ids, marked as such.
    expect(toActorLabel({ kind: 'user', userUuid: '{u}', accountId: '557058:a' })).toEqual({ label: '557058:a', detail: 'user', isId: true });
    expect(toActorLabel({ kind: 'user', userUuid: '{u}', accountId: null })).toEqual({ label: '{u}', detail: 'user', isId: true });
    expect(toActorLabel({ kind: 'installation', userUuid: null, accountId: null })).toEqual({ label: 'Bosun', detail: 'app', isId: false });
    expect(toActorLabel({ kind: 'rule', userUuid: null, accountId: null }).label).toBe('A rule');
  });

  it('joins the trigger kind and ref', () => {
    expect(toTriggerLabel({ kind: 'comment', ref: '#42' })).toBe('comment · #42');
    expect(toTriggerLabel({ kind: 'schedule', ref: null })).toBe('schedule');
  });

  it('counts the rows on screen', () => {
    expect(toPageRange(0, 20, 57)).toBe('1–20 of 57');
    expect(toPageRange(40, 17, 57)).toBe('41–57 of 57');
    expect(toPageRange(0, 0, 0)).toBe('0 of 0');
  });
});
