import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelMemberText } from '../../../server/web/json-member-text';

/** Some JSON text of `value` as a sender might write it: compact, indented, or with stray whitespace. */
const spellings = (value: unknown): string[] => [
  JSON.stringify(value),
  JSON.stringify(value, null, 2),
  JSON.stringify(value, null, '\r\t '),
];

/** Keys JSON writes without escapes (an escaped key is answered null, tested below). */
const plainKey = fc.string().filter((k) => JSON.stringify(k) === `"${k}"`);

describe('topLevelMemberText: a top-level member exactly as received', () => {
  it('cuts a value that parses to the member, whatever it holds and however the text is spaced', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(plainKey, fc.jsonValue()), (data, others) => {
        const { data: _drop, ...rest } = others;
        for (const text of spellings({ ...rest, event: 'pullrequest:approved', data })) {
          const cut = topLevelMemberText(text, 'data');
          expect(cut).not.toBeNull();
          expect(JSON.parse(cut!)).toEqual((JSON.parse(text) as { data: unknown }).data);
          // The cut is the value only: JSON.parse of it accepts no trailing member.
          expect(text.includes(cut!)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cuts strings with escaped quotes and backslashes, brackets inside strings and nested arrays', () => {
    const data = { a: 'say "hi" \\', b: '}]{[', c: [[1, { d: '\\"' }], []], e: 'é \u2028 \ud83d\ude00', f: -1.5e-7, g: null, h: true };
    const text = `{"event":"x","data":${JSON.stringify(data)}}`;
    expect(topLevelMemberText(text, 'data')).toBe(JSON.stringify(data));
    const raw = '{ "data" : {"a":"\\u0041\\/","n":1.0E+2} , "event":"x" }\n';
    expect(topLevelMemberText(raw, 'data')).toBe('{"a":"\\u0041\\/","n":1.0E+2}');
    expect(topLevelMemberText('{"data":12,"event":"x"}', 'data')).toBe('12');
    expect(topLevelMemberText('{"event":"x","data":"text"}', 'data')).toBe('"text"');
  });

  it('answers null (the caller stringifies) when the text might not be exactly the parsed member', () => {
    // JSON.parse keeps the last of two members with one name.
    expect(topLevelMemberText('{"data":{"a":1},"data":{"a":2}}', 'data')).toBeNull();
    // An escaped key may name the member: not compared, so not trusted.
    expect(topLevelMemberText('{"d\\u0061ta":{"a":1}}', 'data')).toBeNull();
    expect(topLevelMemberText('{"event":"x"}', 'data')).toBeNull();
    expect(topLevelMemberText('{}', 'data')).toBeNull();
    expect(topLevelMemberText('[{"data":1}]', 'data')).toBeNull();
    expect(topLevelMemberText('"data"', 'data')).toBeNull();
    // A nested member of that name is not the top-level one.
    expect(topLevelMemberText('{"event":"x","payload":{"data":{"a":1}}}', 'data')).toBeNull();
  });
});
