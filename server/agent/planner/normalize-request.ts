/**
 * Turns what a person typed into clauses a matcher can read: polite noise gone, common typos
 * and a few other languages' verbs mapped to Bosun's vocabulary, one clause per action.
 * Pure and fast: no I/O, a few hundred string operations per request.
 */

export interface Clause {
  /** The clause as typed (quotes restored), polite noise removed: slots that keep case (titles, branches) come from here. */
  raw: string;
  /** `raw` with mistyped vocabulary words corrected (other words keep their case); same words, one for one. */
  fixed: string;
  /** Lower case, typos fixed, PR references written `#12`, the current PR written `this`. Intents match this. */
  text: string;
  /** Ended with "?" or starts like a question ("can", "is", "what"…). */
  question: boolean;
}

/** Words an intent pattern uses: a typo within one or two edits of one of these is read as it. */
const VOCABULARY = [
  'merge', 'merged', 'merging', 'approve', 'approved', 'approval', 'unapprove', 'decline', 'declined', 'reject', 'close', 'abandon',
  'reviewer', 'reviewers', 'review', 'request', 'changes', 'change', 'comment', 'reply', 'rename', 'retitle', 'title', 'titled',
  'description', 'draft', 'ready', 'destination', 'target', 'retarget', 'pipeline', 'pipelines', 'build', 'builds', 'failed',
  'failing', 'rerun', 'retry', 'restart', 'rebuild', 'trigger', 'branch', 'branches', 'delete', 'remove', 'create', 'status',
  'blocking', 'blocked', 'passing', 'passes', 'green', 'squash', 'cancel', 'repository', 'repositories', 'repos', 'list', 'show',
  'report', 'commit', 'named', 'called', 'saying', 'please', 'thanks', 'source', 'open', 'stop', 'abort', 'check', 'checks',
  'when', 'then', 'this', 'that', 'them', 'with', 'from', 'into', 'onto', 'main', 'have', 'what', 'which', 'where', 'there',
  'public', 'private', 'automerge', 'mergeable', 'successful', 'running', 'again', 'pull', 'after', 'once', 'before', 'about',
  'work', 'needs', 'looks', 'good', 'ship', 'land', 'ping', 'assign', 'invite', 'could', 'would', 'should', 'help', 'also',
  'repo', 'auto', 'requested', 'requesting', 'reviewed', 'reviewing', 'merges', 'approves', 'commented', 'renamed', 'deleted',
  'created', 'passed', 'succeeded', 'failure', 'undraft', 'publish', 'meaning', 'custom', 'deploy', 'tests', 'test', 'lgtm',
  'descriptions', 'comments', 'title', 'named', 'matching', 'containing', 'called', 'number', 'destroy', 'remove', 'names',
  // Repository management (templates, drift, restrictions, branch hygiene).
  'template', 'templates', 'drift', 'drifted', 'stale', 'default', 'require', 'approvals', 'preview', 'apply', 'deletion', 'force',
  // The merge queue.
  'queue', 'queued', 'dequeue', 'unqueue', 'enqueue', 'freeze', 'frozen', 'unfreeze', 'thaw', 'lift', 'line', 'lane', 'hotfix', 'position',
  // Ordinary words a typo of which must not read as a vocabulary word ("look" is not "looks").
  'look', 'make', 'take', 'give', 'need', 'want', 'know', 'best', 'code', 'done', 'fine', 'nice', 'fast', 'last', 'next', 'sure',
  'okay', 'team', 'time', 'more', 'some', 'here', 'just', 'like', 'name', 'left', 'base', 'mark', 'move', 'call', 'will',
  'dont', 'wont', 'cant', 'isnt', 'didnt', 'doesnt',
] as const;

const VOCABULARY_SET: ReadonlySet<string> = new Set(VOCABULARY);

/** Verbs in French, Spanish, German, Portuguese and Italian, mapped to Bosun's (cheap and common). */
const FOREIGN: Readonly<Record<string, string>> = {
  fusionner: 'merge', fusionne: 'merge', fusionnez: 'merge', fusionar: 'merge', fusiona: 'merge', mergen: 'merge', merge_: 'merge',
  'zusammenführen': 'merge', mesclar: 'merge', unire: 'merge', mergea: 'merge', mergear: 'merge', mergeie: 'merge',
  approuver: 'approve', approuve: 'approve', approuvez: 'approve', aprobar: 'approve', aprueba: 'approve', genehmigen: 'approve',
  aprovar: 'approve', aprova: 'approve', approvare: 'approve', approva: 'approve',
  fermer: 'close', ferme: 'close', fermez: 'close', cerrar: 'close', cierra: 'close', 'schließen': 'close', schliessen: 'close',
  fechar: 'close', fecha: 'close', chiudere: 'close', chiudi: 'close', rechazar: 'decline', rechaza: 'decline', ablehnen: 'decline',
  relancer: 'rerun', relance: 'rerun', reintentar: 'retry', reintenta: 'retry', wiederholen: 'retry', rilancia: 'rerun',
  commenter: 'comment', commente: 'comment', comentar: 'comment', comenta: 'comment', kommentieren: 'comment',
  renommer: 'rename', renombrar: 'rename', 'umbenennen': 'rename',
  // Abbreviations people type in a hurry.
  aprv: 'approve', appr: 'approve', apprv: 'approve', rvw: 'review', rev: 'review', mrg: 'merge', mrge: 'merge', merj: 'merge',
  pl: 'pipeline', rpo: 'repo', desc: 'description',
  quand: 'when', cuando: 'when', wenn: 'when', quando: 'when', passe: 'passes', pasa: 'passes',
};

/** Articles and demonstratives of those languages, dropped so "ferme cette PR" reads "close this". */
const FOREIGN_FILLER: ReadonlySet<string> = new Set(['cette', 'ce', 'ça', 'ca', 'la', 'le', 'esta', 'este', 'esto', 'el', 'diesen', 'diese', 'den', 'das', 'dies', 'questa', 'questo', 'essa', 'esse', 'isso']);

const LEADING_NOISE =
  /^(?:(?:hey|hi|hello|ok|okay|yo|yes|yep|yeah|yup|sure|nah|nope|alright|right|well|hmm)[,!]?\s+)*(?:@?bosun\b[,:]?\s*)?(?:(?:please|pls|plz|pl[sz]e|kindly|just|now|so|ok|okay|also|and|then|go ahead and|bitte|por favor|s'il te plaît|s'il vous plaît|svp|per favore|i want to|i'd like to|i would like to|i need to|i need you to|we need to|let's|lets|let us|can you|could you|would you|will you|can u|could u|would you mind|would you kindly|mind|can someone|can somebody|can anyone|could someone|could somebody|someone|somebody)\b[,:]?\s*)*/i;
const TRAILING_NOISE = /(?:[\s,]+(?:please|pls|plz|bitte|svp|por favor|merci|danke|gracias|thanks|thank you|thx|ty|now|asap|for me|right now|if you can|when you can|cheers|kthx|:\)|🙏))+$/i;
const QUESTION_START = /^(?:can|could|is|are|was|does|do|did|has|have|what|what's|whats|why|how|when|where|which|who|will|any|anything|so)\b/i;
const PR_WORDS = String.raw`(?:pr|pull[ -]?request|pullrequest|merge request|mr)`;

/** Damerau–Levenshtein distance with a cap: stops early once the distance exceeds `max`. */
function toEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (rows[i - 2] as number[])[j - 2]! + 1);
      row[j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The vocabulary word a typo most likely meant, or the word itself. Only words of four letters or more are touched. */
export function toKnownWord(typed: string): string {
  // "mergeee", "approoove": a letter held down is one letter.
  const word = /(.)\1\1/.test(typed) ? typed.replace(/(.)\1{2,}/g, '$1') : typed;
  const foreign = FOREIGN[word];
  if (foreign) return foreign;
  if (word.length < 4 || VOCABULARY_SET.has(word) || /[^a-z']/.test(word)) return word;
  const max = word.length >= 9 ? 2 : 1;
  let best: { word: string; distance: number } | null = null;
  for (const known of VOCABULARY) {
    // People keep the first letter of a word they mistype; requiring it keeps "meaning" from reading as "merging".
    if (known[0] !== word[0]) continue;
    const distance = toEditDistance(word, known, max);
    if (distance <= max && (best === null || distance < best.distance)) best = { word: known, distance };
  }
  return best?.word ?? word;
}

interface Quoted {
  text: string;
  quotes: string[];
}

/** Replaces "quoted runs" with placeholders so separators inside them do not split the request. */
function protectQuotes(text: string): Quoted {
  const quotes: string[] = [];
  const out = text.replace(/"([^"]*)"|“([^”]*)”|«\s*([^»]*?)\s*»|(?<=^|[\s:(])'([^']+)'(?=$|[\s,.;:!?)])/g, (_m, a, b, c, d) => {
    quotes.push(String(a ?? b ?? c ?? d ?? ''));
    return `\uE000${quotes.length - 1}\uE000`;
  });
  return { text: out, quotes };
}

function restoreQuotes(text: string, quotes: readonly string[]): string {
  return text.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => `"${quotes[Number(i)] ?? ''}"`);
}

/** Lower case, typos fixed, PR references and "this PR" in one spelling each. */
function toMatchText(raw: string): string {
  const words = raw
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/"[^"]*"/g, ' "q" ')
    .replace(/[!?.;,]+(?=\s|$)/g, ' ')
    .replace(/(^|\s)[(:]+|[):]+(?=\s|$)/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !FOREIGN_FILLER.has(w))
    .map(toKnownWord);
  return words
    .join(' ')
    .replace(/\bre (run|try|trigger|start|build|launch|test)\b/g, 're$1')
    .replace(new RegExp(String.raw`\b${PR_WORDS}\s*#?\s*(\d+)\b`, 'g'), '#$1')
    .replace(/#\s+(\d+)/g, '#$1')
    .replace(new RegExp(String.raw`\b(?:this|that|the|current|the current|my|our)\s+${PR_WORDS}\b`, 'g'), 'this')
    .replace(new RegExp(String.raw`\b(?:this one|this change|it)\b`, 'g'), 'this')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words a new action starts with; a piece after "and" or "," that starts otherwise belongs to the previous action. */
const LEAD =
  /^(?:merge|ship|land|squash|approve|approved|lgtm|\+1|👍|unapprove|decline|close|reject|abandon|kill|request|needs|add|invite|assign|ask|ping|get|have|comment|reply|respond|say|post|leave|write|tell|rename|retitle|change|set|update|mark|make|convert|move|retarget|target|rerun|re-run|retry|restart|rebuild|re-trigger|retrigger|kick|run|trigger|start|stop|abort|halt|cancel|create|cut|open|raise|new|delete|remove|drop|report|list|show|status|check|describe|what|what's|whats|which|why|is|are|can|does|do|has|how|when|who|then|also|undraft|publish|don't|dont|do not|never)\b/;

interface Segment {
  separator: string;
  text: string;
}

function splitSegments(text: string): Segment[] {
  const parts = text.split(/(\s*;\s*|\s*,\s*(?:and\s+|then\s+|and then\s+)?|\s+(?:and then|and also|then|and|&|after that|afterwards|plus|et|puis|y|luego|und|dann|e|poi)\s+|(?<=[a-z0-9)\]])\.\s+)/i);
  const segments: Segment[] = [];
  for (let i = 0; i < parts.length; i += 2) segments.push({ separator: i === 0 ? '' : (parts[i - 1] ?? ''), text: parts[i] ?? '' });
  return segments;
}

/** What follows these is the person's own words ("reply: done, thanks"): nothing at its end is noise. */
const FREE_TEXT_LEAD = /^(?:comment|reply|respond|say|tell|post|write|leave|note|answer)\b/i;

function stripNoise(text: string): string {
  let out = text.trim();
  for (let i = 0; i < 3; i++) {
    const lead = out.replace(LEADING_NOISE, '');
    const next = (FREE_TEXT_LEAD.test(lead) ? lead.replace(/\s+$/, '') : lead.replace(/[\s.!]+$/, '').replace(TRAILING_NOISE, '')).trim();
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Corrects mistyped vocabulary words in place, keeping punctuation around them and every other word as typed. */
function toFixedWords(text: string): string {
  return text
    .split(' ')
    .map((word) => {
      const m = /^([("']*)([\p{L}']+)([)"'.,:;!?]*)$/u.exec(word);
      if (!m) return word;
      const core = m[2] as string;
      const known = toKnownWord(core.toLowerCase());
      return known === core.toLowerCase() ? word : `${m[1] ?? ''}${known}${m[3] ?? ''}`;
    })
    .join(' ');
}

function toClause(rawWithPlaceholders: string, quotes: readonly string[]): Clause | null {
  const cleaned = stripNoise(rawWithPlaceholders).replace(/\s+/g, ' ').replace(/[\s?]+$/, '').trim();
  if (cleaned === '') return null;
  const raw = restoreQuotes(cleaned, quotes);
  const fixed = restoreQuotes(toFixedWords(cleaned), quotes);
  const text = toMatchText(raw);
  return { raw, fixed, text, question: /\?\s*$/.test(stripNoise(rawWithPlaceholders)) || QUESTION_START.test(raw) };
}

/**
 * Splits a request into clauses, one per action ("add @ada as reviewer, merge when green" is two).
 * A piece that does not start like an action ("@bob" in "add @ada and @bob") stays with the one before.
 */
export function toClauses(text: string): Clause[] {
  const { text: quoted, quotes } = protectQuotes(text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim());
  // "squash and merge" is one action; polite noise before the first action is not one.
  // "lgtm merge when green" is an approval and then a merge, with nothing between them.
  const protectedText = stripNoise(quoted)
    .replace(/\bsquash and merge\b/gi, 'squash merge')
    .replace(/^(lgtm|\+1|👍|looks good(?: to me)?|approved)\s+(?=[a-z])/i, '$1, ');
  const merged: string[] = [];
  for (const segment of splitSegments(protectedText)) {
    const lead = toMatchText(stripNoise(segment.text));
    if (merged.length === 0 || LEAD.test(lead)) merged.push(segment.text);
    else merged[merged.length - 1] += `${segment.separator}${segment.text}`;
  }
  return merged.map((m) => toClause(m, quotes)).filter((c): c is Clause => c !== null);
}
