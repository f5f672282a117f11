import { describe, expect, it } from 'vitest';
import { parsePolicyDraft, toPolicyText, toRuleMode, withRuleMode } from '../../../client/admin-settings/to-policy-draft';

describe('policy draft', () => {
  it('reads the editor text as a layer, an empty editor as an empty layer', () => {
    expect(parsePolicyDraft('{"stale": {"mode": "on"}}')).toEqual({ ok: true, layer: { stale: { mode: 'on' } } });
    expect(parsePolicyDraft('  ')).toEqual({ ok: true, layer: {} });
  });

  it('says why a draft cannot be sent', () => {
    expect(parsePolicyDraft('{"stale": ')).toMatchObject({ ok: false, message: expect.stringMatching(/^Not valid JSON/) });
    expect(parsePolicyDraft('[1]')).toMatchObject({ ok: false, message: expect.stringMatching(/must be a JSON object/) });
  });

  it('a rule without a mode is in dry-run; switching one keeps its other settings and the other rules', () => {
    const layer = { stale: { remindAfterDays: 3 }, reviewers: { mode: 'off' } };
    expect(toRuleMode(layer, 'stale')).toBe('dry-run');
    expect(toRuleMode(layer, 'reviewers')).toBe('off');
    const on = withRuleMode(layer, 'stale', 'on');
    expect(on).toEqual({ stale: { remindAfterDays: 3, mode: 'on' }, reviewers: { mode: 'off' } });
    expect(JSON.parse(toPolicyText(on))).toEqual(on);
  });
});
