/**
 * The raw text of one member of a JSON object's top level, cut from the text it was parsed from:
 * `{"event": "x", "data": {…}}` → `{…}` exactly as received. A store that keeps a received value
 * as JSON text can keep this instead of stringifying the parsed value again (a 3 KB webhook payload:
 * ~15 us of JSON.stringify per delivery, ~1 us for this scan).
 *
 * `text` must be text that JSON.parse accepted (the scan trusts its grammar; it only finds where
 * values end). Answers null, so that the caller stringifies instead, whenever the raw text might not
 * be exactly the parsed member: the top level is not an object, the member is absent or named twice
 * (JSON.parse keeps the last), or a key is written with escapes (`"d\u0061ta"` names `data`).
 */
export function topLevelMemberText(text: string, name: string): string | null {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return null;
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return null;
  let found: string | null = null;
  let count = 0;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = endOfString(text, i);
    const key = text.slice(i + 1, keyEnd - 1);
    if (key.includes('\\')) return null;
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return null;
    const start = skipWhitespace(text, i + 1);
    const end = endOfValue(text, start);
    if (key === name) {
      count += 1;
      found = text.slice(start, end);
    }
    i = skipWhitespace(text, end);
    const next = text.charCodeAt(i);
    if (next === COMMA) {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (next !== CLOSE_BRACE) return null;
    // Only whitespace may follow the object (JSON.parse accepted the text, so this holds; checked anyway).
    if (skipWhitespace(text, i + 1) !== text.length) return null;
    return count === 1 ? found : null;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function skipWhitespace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    // JSON's whitespace: space, tab, line feed, carriage return.
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i += 1;
  }
}

/** `from` is at an opening quote; answers the index just past its closing quote. */
function endOfString(text: string, from: number): number {
  let i = from + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    // A quote ends the string unless an odd number of backslashes escape it.
    let backslashes = 0;
    for (let j = quote - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** `from` is at the first character of a value; answers the index just past it. */
function endOfValue(text: string, from: number): number {
  const first = text.charCodeAt(from);
  if (first === QUOTE) return endOfString(text, from);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: it runs to the next delimiter or whitespace.
    let i = from;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return i;
      i += 1;
    }
  }
  let depth = 0;
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) return text.length;
    if (c === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
}
