import { escapeHtml } from './escape-html';

/** Where a link may point: the web, mail, this site's own paths and anchors (never `javascript:`). */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/|#)/i;

/** Inline markup on already-escaped text: code spans first (nothing inside them is markup), then links, bold, italics. */
function renderInline(escaped: string): string {
  const codes: string[] = [];
  // Placeholders that escaped text cannot contain (it has no raw `<`), so no markup applies inside code.
  let text = escaped.replace(/`([^`]+)`/g, (_m, code: string) => `<code${codes.push(`<code>${code}</code>`) - 1}>`);
  text = text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) => {
    const url = href.replace(/&amp;/g, '&');
    return SAFE_HREF.test(url) ? `<a href="${escapeHtml(url)}">${label}</a>` : whole;
  });
  text = text
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/__([^_]+)__/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>');
  return text.replace(/<code(\d+)>/g, (_m, i: string) => codes[Number(i)] ?? '');
}

/**
 * Markdown as Bitbucket renders a comment or description: HTML comments (Bosun's hidden markers)
 * vanish, raw HTML shows as text, and headings, lists, quotes, fenced code, code spans, links, bold
 * and italics render. Small on purpose: the shapes Bosun and tests write, always safe to embed.
 */
export function renderMarkdown(raw: string): string {
  const withoutComments = raw.replace(/<!--[\s\S]*?-->/g, '');
  const lines = withoutComments.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
  const flushParagraph = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map((l) => renderInline(escapeHtml(l))).join('<br>')}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${renderInline(escapeHtml(i))}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = /^\s*```/.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i] as string); i++) code.push(lines[i] as string);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      const level = (heading[1] as string).length;
      out.push(`<h${level}>${renderInline(escapeHtml(heading[2] as string))}</h${level}>`);
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      const tag = item[1] ? 'ul' : 'ol';
      if (list && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push(item[3] as string);
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (quote) {
      flushParagraph();
      flushList();
      out.push(`<blockquote>${renderInline(escapeHtml(quote[1] as string))}</blockquote>`);
      continue;
    }
    if (/^\s*(?:-{3,}|\*{3,})\s*$/.test(line)) {
      flushParagraph();
      flushList();
      out.push('<hr>');
      continue;
    }
    flushList();
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return out.join('\n');
}
