/**
 * A small, strict-enough XML reader for test reports: elements, attributes, text, CDATA,
 * comments, processing instructions and the five named entities plus numeric ones. No DTDs
 * (a DOCTYPE is refused, which also rules out entity expansion attacks), no namespaces beyond
 * keeping the prefixed name. Enough for JUnit XML; not a general parser.
 */
import { CiPayloadError } from './errors';

export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** Text and CDATA directly inside this element, concatenated. */
  text: string;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const MAX_DEPTH = 64;

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

/** Parses `xml` into its root element, or throws a CiPayloadError saying where it broke. */
export function readXml(xml: string, what = 'XML document'): XmlElement {
  let index = 0;
  const fail = (message: string): never => {
    throw new CiPayloadError(`Not a valid ${what}`, [`${message} at character ${index}`]);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const readName = (): string => {
    NAME.lastIndex = index;
    const match = NAME.exec(xml);
    if (match === null) return fail('expected a name');
    index += match[0].length;
    return match[0];
  };
  const skipSpace = (): void => {
    while (index < xml.length && /\s/.test(xml[index] ?? '')) index += 1;
  };
  const skipPast = (marker: string): string => {
    const end = xml.indexOf(marker, index);
    if (end < 0) return fail(`unterminated, expected "${marker}"`);
    const inner = xml.slice(index, end);
    index = end + marker.length;
    return inner;
  };

  if (xml.charCodeAt(0) === 0xfeff) index = 1;
  while (index < xml.length) {
    const current = stack[stack.length - 1];
    if (xml.startsWith('<!--', index)) {
      index += 4;
      skipPast('-->');
    } else if (xml.startsWith('<![CDATA[', index)) {
      index += 9;
      const inner = skipPast(']]>');
      if (current === undefined) fail('text outside the root element');
      else current.text += inner;
    } else if (xml.startsWith('<?', index)) {
      index += 2;
      skipPast('?>');
    } else if (xml.startsWith('<!', index)) {
      fail('DOCTYPE and other declarations are not accepted');
    } else if (xml.startsWith('</', index)) {
      index += 2;
      const name = readName();
      skipSpace();
      if (xml[index] !== '>') fail('expected ">"');
      index += 1;
      const open = stack.pop();
      if (open === undefined || open.name !== name) fail(`closing </${name}> does not match`);
    } else if (xml[index] === '<') {
      index += 1;
      const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
      const attributes: Record<string, string> = {};
      for (;;) {
        skipSpace();
        if (xml.startsWith('/>', index) || xml[index] === '>') break;
        const attribute = readName();
        skipSpace();
        if (xml[index] !== '=') fail(`expected "=" after ${attribute}`);
        index += 1;
        skipSpace();
        const quote = xml[index];
        if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
        index += 1;
        attributes[attribute] = decodeEntities(skipPast(quote as string));
      }
      element.attributes = attributes;
      if (current === undefined) {
        if (root !== undefined) fail('a second root element');
        root = element;
      } else current.children.push(element);
      if (xml.startsWith('/>', index)) index += 2;
      else {
        index += 1;
        stack.push(element);
        if (stack.length > MAX_DEPTH) fail('nested too deeply');
      }
    } else {
      const next = xml.indexOf('<', index);
      const end = next < 0 ? xml.length : next;
      const text = xml.slice(index, end);
      if (current === undefined) {
        if (text.trim() !== '') fail('text outside the root element');
      } else current.text += decodeEntities(text);
      index = end;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (root === undefined) return fail('no root element');
  return root;
}
