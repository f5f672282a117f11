import { describe, expect, it } from 'vitest';
import { isStorableJson, isStorableText, storableJson, storableText } from '../../../../server/web/api/storable-text';

describe('storable text', () => {
  it('accepts any well-formed unicode and refuses NUL and unpaired surrogates', () => {
    for (const ok of ['', 'plain', 'ünïcödé', '😀 emoji pair', '\u202e', 'tab\tand\nnewline']) expect(isStorableText(ok), ok).toBe(true);
    for (const bad of ['\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ude00\ud83d']) expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('bounds the length and names the problem', () => {
    const schema = storableText({ min: 2, max: 4 });
    expect(schema.safeParse('abc').success).toBe(true);
    expect(schema.safeParse('a').success).toBe(false);
    expect(schema.safeParse('abcde').success).toBe(false);
    const refused = schema.safeParse('a\u0000');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('NUL');
  });

  it('checks every string and key inside free-form JSON', () => {
    expect(isStorableJson({ a: [1, 'two', { three: null }], b: true })).toBe(true);
    expect(isStorableJson({ a: [{ deep: ['\u0000'] }] })).toBe(false);
    expect(isStorableJson({ ['k\ud800']: 1 })).toBe(false);
    expect(storableJson.safeParse({ ok: 'yes' }).success).toBe(true);
    expect(storableJson.safeParse(['\u0000']).success).toBe(false);
  });
});
