import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * Generators for hostile HTTP input: strings with NUL, lone surrogates and odd unicode, values of the
 * wrong type, query strings and paths with bad percent-encoding, and bodies whose framing lies
 * (Content-Encoding, charset, Content-Type, size).
 */

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '%ff', '%00', '%', '{}', '[]', 'null', 'true', '__proto__', 'constructor',
  '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '\\', '"', '😀', '\u202e', '\r\n', 'x'.repeat(300), 'x'.repeat(5000),
  '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}', '{6F1D8A52-3B7E-4A47-9F0E-2C8A1B2D3E4F}', '6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f',
  '1e400', '-1', '0', '1.5', '9007199254740993', '2147483648', 'NaN', 'Infinity',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), loneSurrogate), { maxLength: 6 }).map((p) => p.join('')) },
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 63, 1e308, -0, 0.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  fc.double(),
);

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const OMIT = Symbol('omit');

/**
 * A JSON object shaped like `template` where each field is valid, hostile or missing, with a few
 * unexpected fields added; now and then not an object at all.
 */
export function mutatedObject(template: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  // Weighted so that about half the objects are entirely valid whatever the number of fields: the rest
  // of the request must reach the handler, not stop at the first bad field.
  const validWeight = 6 * Object.keys(template).length;
  const fields = Object.fromEntries(
    Object.entries(template).map(([k, valid]) => [
      k,
      fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: 2, arbitrary: nastyValue }, { weight: 1, arbitrary: fc.constant(OMIT) }),
    ]),
  );
  const object = fc.tuple(fc.record(fields), fc.option(fc.dictionary(nastyString, nastyValue, { maxKeys: 2 }), { freq: 4 })).map(([o, extra]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(extra ?? {})) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (const [k, v] of Object.entries(o)) if (v !== OMIT) out[k] = v;
    return out;
  });
  return fc.oneof({ weight: 12, arbitrary: object }, { weight: 1, arbitrary: nastyValue });
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) becomes its WTF-8 bytes. */
export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

const hexByte = (b: number) => `%${b.toString(16).padStart(2, '0')}`;

/** A path segment or query component as sent: well encoded, raw bytes, or broken percent-encoding. */
export const rawComponent: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString.map(percentEncode) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes].map(hexByte).join('')) },
  { weight: 2, arbitrary: fc.constantFrom('%ff', '%00', '%', '%zz', '%c0%80', '%ed%a0%80', '%E0%A4%A', '+', '%2B', '%26', '%3D', '%2F', '..', '%2e%2e', 'a%00b') },
);

/**
 * A query string for `template`: each parameter valid, hostile, missing, repeated (an array),
 * or in qs's bracket syntax (an object); plus unexpected parameters.
 */
export function queryFor(template: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const validWeight = 8 * Object.keys(template).length;
  const parts = Object.entries(template).map(([k, valid]) =>
    fc.oneof(
      { weight: validWeight, arbitrary: valid.map((v) => [`${k}=${percentEncode(v)}`]) },
      { weight: 3, arbitrary: rawComponent.map((v) => [`${k}=${v}`]) },
      { weight: 1, arbitrary: fc.constant<string[]>([]) },
      { weight: 1, arbitrary: fc.tuple(valid, rawComponent).map(([v, r]) => [`${k}=${percentEncode(v)}`, `${k}=${r}`]) },
      { weight: 1, arbitrary: rawComponent.map((v) => [`${k}[a]=${v}`]) },
      { weight: 1, arbitrary: fc.constant([`${k}[]=`, `${k}[]=x`]) },
      { weight: 1, arbitrary: fc.constant([`${k}`]) },
    ),
  );
  const extras = fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(rawComponent, rawComponent).map(([a, b]) => `${a}=${b}`), { maxLength: 2 }) });
  return fc.tuple(fc.tuple(...parts), extras, fc.boolean()).map(([ps, ex, shuffle]) => {
    const all = [...ps.flat(), ...ex];
    return (shuffle ? all.reverse() : all).join('&');
  });
}

/** Header values Node will send (no control characters; latin-1). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(200), '%ff', '{}', '-1', '99999999999999999999', '0', '1.5', '2147483648') },
);

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json; charset=latin1',
  'application/json; charset=utf-16', 'application/json; charset=nope', 'application/vnd.api+json', 'application/*', 'text/plain',
  'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', '', 'json', ';;;',
];

export interface BodyFraming {
  headers: Record<string, string>;
  body: Buffer | null;
}

const DEEP = Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
const BOMB = gzipSync(Buffer.alloc(5_000_000, 0x20));

/**
 * Frames a JSON value the way a client might, honestly or not: plain, gzip, deflate, a
 * Content-Encoding the bytes do not match, an unknown encoding, another content type, raw bytes,
 * truncated, too large, deeply nested, a gzip bomb, or no body at all.
 */
export function framed(json: fc.Arbitrary<unknown>, opts: { tooLargeBytes: number }): fc.Arbitrary<BodyFraming> {
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  const kind = fc.oneof(
    { weight: 10, arbitrary: fc.constant('json' as const) },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'gzip-lie', 'deflate-lie', 'encoding-unknown', 'bytes', 'truncated', 'none') },
    { weight: 1, arbitrary: fc.constantFrom('too-large', 'deep', 'bomb', 'gzip-truncated', 'text') },
  );
  return fc.tuple(json, contentType, kind, fc.uint8Array({ maxLength: 64 }), fc.constantFrom('br', 'x-unknown', 'gzip, gzip', 'identity', 'GZIP', 'compress')).map(
    ([value, type, k, bytes, unknownEncoding]): BodyFraming => {
      const text = Buffer.from(JSON.stringify(value) ?? 'undefined');
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      switch (k) {
        case 'json':
          return { headers, body: text };
        case 'gzip':
          return { headers: { ...headers, 'content-encoding': 'gzip' }, body: gzipSync(text) };
        case 'deflate':
          return { headers: { ...headers, 'content-encoding': 'deflate' }, body: deflateSync(text) };
        case 'gzip-lie':
          return { headers: { ...headers, 'content-encoding': 'gzip' }, body: text };
        case 'deflate-lie':
          return { headers: { ...headers, 'content-encoding': 'deflate' }, body: gzipSync(text) };
        case 'encoding-unknown':
          return { headers: { ...headers, 'content-encoding': unknownEncoding }, body: text };
        case 'bytes':
          return { headers, body: Buffer.from(bytes) };
        case 'truncated':
          return { headers, body: text.subarray(0, Math.floor(text.length / 2)) };
        case 'gzip-truncated': {
          const gz = gzipSync(text);
          return { headers: { ...headers, 'content-encoding': 'gzip' }, body: gz.subarray(0, Math.max(1, gz.length - 4)) };
        }
        case 'too-large':
          return { headers, body: Buffer.from(JSON.stringify({ padding: 'x'.repeat(opts.tooLargeBytes) })) };
        case 'deep':
          return { headers, body: DEEP };
        case 'bomb':
          return { headers: { ...headers, 'content-encoding': 'gzip' }, body: BOMB };
        case 'text':
          return { headers: { ...headers, 'content-type': 'text/plain' }, body: text };
        case 'none':
          return { headers: {}, body: null };
      }
    },
  );
}
