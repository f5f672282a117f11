import type { CommitStatusState, MergeStrategy } from '../../bitbucket';
import type { PlanStep } from '../executor/plan';
import type { Clause } from './normalize-request';
import type { PlannerContext, PlannerPerson } from './planner';
import { MERGE_QUEUE_INTENTS } from './merge-queue-intents';
import { PIPELINE_READ_INTENTS, toPipelineVariables } from './pipeline-intents';
import { REPOSITORY_INTENTS } from './repository-intents';
import { RULES_INTENTS } from './rules-intents';

export interface RepoInput {
  workspace: string;
  repo: string;
}

/** One clause with its slots read: the repository it names (or the page's), the PR number it names. */
export interface IntentInput {
  clause: Clause;
  /** `clause.text` without the "in repo …" phrase. */
  text: string;
  /** `clause.raw` without the "in repo …" phrase. */
  raw: string;
  /** `clause.fixed` (typos corrected, case kept) without the "in repo …" phrase. */
  fixed: string;
  repo: RepoInput | null;
  /** `#12` in the clause, else null. */
  prNumber: number | null;
  ctx: PlannerContext;
}

export type IntentResult =
  | { kind: 'steps'; summary: string; steps: PlanStep[] }
  /** Each choice's `clause` replaces this clause in the request the person sends back. */
  | { kind: 'clarify'; question: string; choices: Array<{ label: string; clause: string }> }
  | { kind: 'error'; message: string };

export interface Intent {
  /** The tool the intent plans (its first step). */
  tool: string;
  matches(input: IntentInput): boolean;
  build(input: IntentInput): IntentResult;
}

const steps = (summary: string, list: PlanStep[]): IntentResult => ({ kind: 'steps', summary, steps: list });
const error = (message: string): IntentResult => ({ kind: 'error', message });

export const NEED_PR = 'Which pull request? Say its number, like #12.';
export const NEED_REPO = 'Which repository? Add "in repo <name>" to the request.';

type PrTarget = RepoInput & { pullRequestId: number };

function toPrTarget(input: IntentInput): PrTarget | IntentResult {
  if (!input.repo) return error(NEED_REPO);
  const id = input.prNumber ?? input.ctx.pullRequestId;
  if (id === undefined || id === null) return error(NEED_PR);
  return { ...input.repo, pullRequestId: id };
}

const isResult = (v: PrTarget | IntentResult): v is IntentResult => 'kind' in v;

/** An intent on one pull request: the PR comes from `#12` or the page. */
function onPr(build: (target: PrTarget, input: IntentInput) => IntentResult): (input: IntentInput) => IntentResult {
  return (input) => {
    const target = toPrTarget(input);
    return isResult(target) ? target : build(target, input);
  };
}

const STRATEGIES: Array<[RegExp, MergeStrategy]> = [
  [/\bsquash(?:ed|ing)?\b(?!.*fast)/, 'squash'],
  [/\bsquash\b.*\bfast[ -]?forward\b/, 'squash_fast_forward'],
  [/\brebase\b.*\bfast[ -]?forward\b|\brebase and fast/, 'rebase_fast_forward'],
  [/\brebase\b/, 'rebase_merge'],
  [/\bfast[ -_]?forward\b|\bff\b|\bff-only\b/, 'fast_forward'],
  [/\bmerge[ -_]commit\b|\bno-ff\b/, 'merge_commit'],
];

function toStrategy(text: string): MergeStrategy | undefined {
  return STRATEGIES.find(([re]) => re.test(text))?.[1];
}

const GREEN =
  /\b(?:when|once|after|as soon as|if|on)\b.*\b(?:green|pass(?:es|ed|ing)?|succeeds?|successful|ci|builds?|checks?|pipelines?|tests?|done|ready|approved|finishes|finished|complete[sd]?)\b|\b(?:when|wen|once)\s+(?:green|ready|passing)\b|\bon green\b|\bauto[ -]?merge\b|\bautomerge\b/;

const STATES: Array<[RegExp, CommitStatusState]> = [
  [/\b(?:failed|failing|failure|fail|broken|red)\b/, 'FAILED'],
  [/\b(?:successful|success|succeeded|passed|passing|pass|green|good|ok)\b/, 'SUCCESSFUL'],
  [/\b(?:in progress|in-progress|inprogress|running|pending)\b/, 'INPROGRESS'],
  [/\b(?:stopped|cancelled|canceled)\b/, 'STOPPED'],
];

const BRANCH_WORD = String.raw`([^\s~^:?*[\\"]+)`;
const isBranchName = (name: string): boolean => /^(?!\/)(?!.*\/\/)(?!.*\.\.)[^\s~^:?*[\\"]+(?<![/.])$/.test(name) && !/^#\d+$/.test(name);

/** A branch the clause names after one of `markers` ("from", "on"…), with its case kept; or what "the source branch" stands for. */
function toBranchAfter(input: IntentInput, markers: string): string | null {
  const m = new RegExp(String.raw`\b(?:${markers})\s+(?:the\s+)?(?:branch\s+)?${BRANCH_WORD}`, 'i').exec(input.fixed);
  if (!m) return null;
  const name = (m[1] as string).replace(/[.,;!?)]+$/, '');
  return toNamedBranch(name, input) ?? (isBranchName(name) ? name : null);
}

/** "source", "target", "main"… as the page's branches. */
function toNamedBranch(word: string, input: IntentInput): string | null {
  const pr = input.ctx.facts?.pullRequest;
  const lower = word.toLowerCase();
  if (['source', 'this', 'it', 'here', 'current'].includes(lower)) return pr?.sourceBranch ?? null;
  if (['destination', 'target', 'base'].includes(lower)) return pr?.destinationBranch ?? null;
  return null;
}

/**
 * The text after the first of `markers`, as typed: titles, comment bodies. A quoted run wins.
 * Markers are found in the typo-corrected words and the text taken from the same words as typed.
 */
function toFreeText(input: Pick<IntentInput, 'raw' | 'fixed'>, markers: RegExp): string | null {
  const quoted = /"([^"]+)"/.exec(input.raw);
  if (quoted) return (quoted[1] as string).trim();
  const m = markers.exec(input.fixed);
  if (!m) return null;
  const end = m.index + m[0].length;
  const before = input.fixed.slice(0, end).trim();
  const count = before === '' ? 0 : before.split(/\s+/).length;
  const midWord = end > 0 && end < input.fixed.length && !/\s/.test(input.fixed[end - 1] as string) && !/\s/.test(input.fixed[end] as string);
  const head = midWord ? (/^\S+/.exec(input.fixed.slice(end))?.[0] ?? '') : '';
  const text = [head, ...input.raw.split(' ').slice(count)].join(' ').trim().replace(/^[:\-–—]\s*/, '');
  return text === '' ? null : text;
}

/** "comment see #12 for details": a number inside the person's own words is not the PR to act on. */
function toTargetOutside(t: PrTarget, input: IntentInput, freeText: string): PrTarget | IntentResult {
  if (input.prNumber === null || !freeText.includes(`#${input.prNumber}`)) return t;
  const outside = /#(\d+)\b/.exec(input.raw.replace(freeText, ' '));
  if (outside) return { ...t, pullRequestId: Number(outside[1]) };
  const id = input.ctx.pullRequestId;
  return id === undefined ? error(NEED_PR) : { ...t, pullRequestId: id };
}

/** "… on #4" ending a comment names where it goes; "duplicate of #12" is the comment itself. */
const ON_PR_AT_END = /\s+on\s+(?:this(?:\s+(?:pr|pull request))?|(?:the\s+)?(?:pr|pull request)|#\d+)\s*$/i;
const ON_THIS_PR = /\s+(?:on|of|for|to)\s+(?:this(?:\s+(?:pr|pull request))?|(?:the\s+)?(?:pr|pull request)|#\d+)\s*$/i;

interface PersonMatch {
  ref: string;
  label: string;
}

function toPersonRef(person: PlannerPerson): string {
  return person.nickname ?? person.uuid ?? person.displayName ?? '';
}

function toPersonLabel(person: PlannerPerson): string {
  return person.displayName && person.nickname ? `${person.displayName} (@${person.nickname})` : (person.displayName ?? `@${person.nickname ?? ''}`);
}

/** Someone named by @nickname, display name, first name or nickname: one match, several, or none (passed on for the tool to resolve). */
function toPeopleMatches(name: string, people: readonly PlannerPerson[]): PersonMatch[] {
  const bare = name.replace(/^@/, '').trim().toLowerCase();
  const exact = people.filter((p) => p.nickname?.toLowerCase() === bare || p.displayName?.toLowerCase() === bare || p.uuid?.toLowerCase() === bare);
  const found =
    exact.length > 0
      ? exact
      : people.filter(
          (p) =>
            p.displayName?.toLowerCase().split(/\s+/)[0] === bare ||
            (bare.length >= 2 && (p.nickname?.toLowerCase().startsWith(bare) || p.displayName?.toLowerCase().startsWith(bare))),
        );
  return found.map((p) => ({ ref: toPersonRef(p), label: toPersonLabel(p) }));
}

const PEOPLE_NOISE =
  /\b(?:add|adding|added|request(?:ing)?|invite|assign|ask|ping|get|have|cc|please|pls|as|an?|the|reviewers?|review(?:ing|ed)?|reviews|code review|to|on|for|from|of|this|it|pr|pull request|list|also|would|could|you|can|take|look|at|should|me|must|need|needs|one|that|quick|glance|peek|over|once)\b|#\d+/gi;

type PeopleResult = { refs: string[]; labels: string[] } | { ambiguous: { name: string; matches: PersonMatch[] } } | { none: true };

/** The people a reviewer request names, resolved against the page's people where it can. */
function toPeople(raw: string, input: IntentInput): PeopleResult {
  const people = input.ctx.facts?.people ?? [];
  const cleaned = raw.replace(/\bas\s+(?:a\s+)?reviewers?\b/gi, ' ').replace(/"[^"]*"/g, ' ').replace(PEOPLE_NOISE, ' ').replace(/\s+/g, ' ').trim();
  const parts = cleaned
    .split(/\s*(?:,|\band\b|&|\+|;|\bund\b|\bet\b|\by\b|\be\b)\s*/i)
    .flatMap((part) => (/@/.test(part) ? (part.match(/@[\w.{}:-]+/g) ?? []) : [part]))
    .map((p) => p.trim().replace(/[.!?]+$/, ''))
    .filter((p) => p !== '');
  if (parts.length === 0) return { none: true };
  const refs: string[] = [];
  const labels: string[] = [];
  for (const part of parts) {
    let matches = toPeopleMatches(part, people);
    if (matches.length === 0 && /\s/.test(part) && !part.startsWith('@')) {
      // "ada bob carol": names without separators, when some of them are people on the page ("grace hopper" stays one name).
      const words = part.split(/\s+/);
      const each = words.map((w) => toPeopleMatches(w, people));
      if (each.some((m) => m.length === 1) && each.every((m) => m.length <= 1)) {
        for (const [i, m] of each.entries()) {
          const ref = m.length === 1 ? (m[0] as PersonMatch).ref : (words[i] as string);
          refs.push(ref);
          labels.push(`@${ref}`);
        }
        continue;
      }
    }
    if (matches.length > 1) {
      const exact = matches.filter((m) => m.ref.toLowerCase() === part.replace(/^@/, '').toLowerCase());
      if (exact.length === 1) matches = exact;
      else return { ambiguous: { name: part, matches } };
    }
    const ref = matches.length === 1 ? (matches[0] as PersonMatch).ref : part.replace(/^@/, '');
    refs.push(ref);
    labels.push(ref.startsWith('{') ? part : `@${ref}`);
  }
  return { refs: [...new Set(refs)], labels: [...new Set(labels)] };
}


/** The intents, most specific first: "can this be merged?" is a question before it is a merge. */
export const INTENTS: readonly Intent[] = [
  ...REPOSITORY_INTENTS,
  ...PIPELINE_READ_INTENTS,
  ...MERGE_QUEUE_INTENTS,
  ...RULES_INTENTS,
  {
    tool: 'pullRequest.cancelAutoMerge',
    matches: ({ text }) =>
      /\b(?:cancel|stop|abort|undo|disable|turn off|switch off|remove|unset|unschedule|revoke)\b.*\b(?:auto-?merge|automerge|automatic merge|merge when green|merge on green|merging|merge|scheduled merge)\b/.test(text) ||
      /\b(?:don't|dont|do not|never|no longer)\s+(?:auto[ -]?)?merge\b/.test(text) ||
      /^(?:never ?mind|hold off|hold on|wait)\b/.test(text),
    build: onPr((t) => steps(`Cancel the automatic merge of #${t.pullRequestId}`, [{ tool: 'pullRequest.cancelAutoMerge', input: t }])),
  },
  {
    tool: 'repository.list',
    matches: ({ text, clause }) =>
      (clause.question && /\b(?:repo|repository)\s+(?:called|named|like)\b/.test(text)) ||
      /\b(?:repos|repositories|repo list|repository list|all repo)\b/.test(text) &&
      (clause.question || /^(?:list|show|get|display|give|find|search|which|what|all|our|repos|repositories|see|view)\b/.test(text)) &&
      !/^(?:create|make|new|delete|remove)\b/.test(text),
    build: ({ fixed, ctx }) => {
      const contains =
        /\b(?:containing|contains|matching|match|named like|with|called|like|about)\s+"?([\w.-]+)"?(?:\s+in (?:the |their )?name)?/i.exec(fixed)?.[1] ??
        /\bnamed\s+"?([\w.-]+)"?/i.exec(fixed)?.[1];
      const workspace = /\bin\s+(?:the\s+)?(?:workspace\s+)?([\w.-]+)\s+workspace\b|\bworkspace\s+([\w.-]+)/i.exec(fixed);
      const named = [workspace?.[1], workspace?.[2]].find((w) => w !== undefined && !['the', 'this', 'our', 'my', 'a', 'whole', 'entire'].includes(w.toLowerCase()));
      const nameContains = contains && !['name', 'the', 'a', 'an'].includes(contains.toLowerCase()) ? contains : undefined;
      return steps(`List the repositories${nameContains ? ` whose name contains "${nameContains}"` : ''}`, [
        { tool: 'repository.list', input: { workspace: named ?? ctx.repo?.workspace ?? ctx.tenant.workspace, ...(nameContains ? { nameContains } : {}) } },
      ]);
    },
  },
  {
    tool: 'pullRequest.status',
    matches: ({ text, clause }) =>
      /^(?:status|state|check status|check the status|pr status|build status|show (?:me )?(?:the )?status|check|checks|check (?:the )?(?:build|builds|ci|checks|pipeline)|show (?:me )?(?:the )?(?:build|builds|checks|ci)|blockers|what's blocking|whats blocking|readiness|mergeability|is this ready|ready\?)\b/.test(text) ||
      /\b(?:status|blocking|blocked|blockers?|ready|mergeable|holding .* up|missing|left to do|stopping)\b/.test(text) && clause.question ||
      (clause.question && /\b(?:merge|merged|merging|build|builds|ci|pipeline|pipelines|checks?|tests?|green|red|passing|passes|failing|broken|approve|approved|approvals?|reviewed|reviews)\b/.test(text) && !/^(?:merge|approve|decline|rerun|retry)\b/.test(text)),
    build: onPr((t) => steps(`Check whether #${t.pullRequestId} can be merged`, [{ tool: 'pullRequest.status', input: t }])),
  },
  {
    tool: 'repository.get',
    matches: ({ clause }) =>
      /^(?:show|describe|info|details|about|tell me about|get|what's|whats|what is|which is)\b.*\b(?:repo|repository|main branch|default branch)\b/.test(clause.text) &&
      !/\b(?:repos|repositories)\b/.test(clause.text),
    build: ({ clause, repo, ctx }) => {
      const named = /\b(?:repo|repository)\s+([\w.-]+(?:\/[\w.-]+)?)/.exec(clause.text)?.[1];
      const target =
        named && !['this', 'here', 'info', 'details'].includes(named)
          ? named.includes('/')
            ? { workspace: named.split('/')[0] as string, repo: named.split('/')[1] as string }
            : { workspace: ctx.repo?.workspace ?? ctx.tenant.workspace, repo: named }
          : repo;
      if (!target) return error(NEED_REPO);
      return steps(`Show ${target.repo}`, [{ tool: 'repository.get', input: target }]);
    },
  },
  {
    tool: 'pullRequest.unapprove',
    matches: ({ text }) =>
      /\b(?:unapprove|un-approve|disapprove|unlgtm)\b|\b(?:remove|revoke|revert|withdraw|take back|retract|pull|drop|cancel|undo)\s+(?:my\s+|the\s+)?(?:approval|approve|lgtm)\b/.test(text),
    build: onPr((t) => steps(`Remove your approval of #${t.pullRequestId}`, [{ tool: 'pullRequest.unapprove', input: t }])),
  },
  {
    tool: 'pullRequest.requestChanges',
    matches: ({ text }) =>
      /\b(?:request(?:ing|ed)? changes?|needs? (?:some |more |a bit more |a few )?(?:work|changes|fixes|fixing|love|tests|testing|docs)|changes (?:needed|requested|required)|not good enough|send (?:it|this) back|request a change|ask for changes|nack|-1)\b|^(?:-1|👎|nack)$|^👎/.test(text),
    build: onPr((t) => steps(`Request changes on #${t.pullRequestId}`, [{ tool: 'pullRequest.requestChanges', input: t }])),
  },
  {
    tool: 'pullRequest.comment',
    matches: ({ text }) =>
      /^(?:comment|reply|respond|say|post|write|leave|add|tell(?! me)|note|answer)\b(?:\s+(?:a|an|the|this))?(?:\s+(?:comment|note|reply|message))?\b/.test(text) &&
      (/^(?:comment|reply|respond|say|tell(?! me)|note|answer)\b/.test(text) || /^(?:post|write|leave|add)\s+(?:a |an |the )?(?:comment|note|reply|message)\b/.test(text)),
    build: onPr((t, input) => {
      const body = toFreeText(
        input,
        /^(?:\s*(?:comment|reply|respond|say|post|write|leave|add|tell(?:\s+(?:them|him|her|the author|everyone))?|note|answer))(?:\s+(?:a|an|the))?(?:\s+(?:comment|note|reply|message))?(?:\s+on\s+(?:this|#\d+|(?:this\s+)?(?:pr|pull request)))?(?:\s+(?:saying|that says|that|with))?:?/i,
      )?.replace(ON_PR_AT_END, '');
      if (!body) {
        return { kind: 'clarify', question: 'What should the comment say? Put it in quotes.', choices: [] };
      }
      const on = toTargetOutside(t, input, body);
      if (isResult(on)) return on;
      return steps(`Comment on #${on.pullRequestId}: "${body.length > 60 ? `${body.slice(0, 57)}…` : body}"`, [{ tool: 'pullRequest.comment', input: { ...on, body } }]);
    }),
  },
  {
    tool: 'pullRequest.update',
    matches: ({ text }) =>
      /^(?:rename|retitle|re-title)\b/.test(text) ||
      /^(?:change|set|update|edit|make|fix)\s+(?:the\s+)?(?:pr\s+|this\s+)?(?:title|name|description|desc|body|destination|target|base)\b/.test(text) ||
      /^(?:title|description)\b/.test(text) ||
      /^(?:retarget|re-target|rebase onto|point)\b/.test(text) ||
      /\b(?:mark|make|convert|turn|set|move)\b.*\b(?:draft|wip|ready|ready for review)\b|^(?:draft|undraft|publish|wip)\b|^ready (?:for|to) review$|^(?:no longer|not)\s+(?:a\s+)?draft\b/.test(text) ||
      /\b(?:close|delete|remove)\s+(?:the\s+)?source\s+branch\s+(?:after|on|when|upon|once)\b|\bkeep\s+(?:the\s+)?source\s+branch\b/.test(text),
    build: onPr((t, input) => {
      const { text } = input;
      if (/\b(?:close|delete|remove)\s+(?:the\s+)?source\s+branch\s+(?:after|on|when|upon|once)\b/.test(text)) {
        return steps(`Close the source branch of #${t.pullRequestId} when it merges`, [{ tool: 'pullRequest.update', input: { ...t, closeSourceBranch: true } }]);
      }
      if (/\bkeep\s+(?:the\s+)?source\s+branch\b/.test(text)) {
        return steps(`Keep the source branch of #${t.pullRequestId} after it merges`, [{ tool: 'pullRequest.update', input: { ...t, closeSourceBranch: false } }]);
      }
      if (/\b(?:undraft|publish|ready|not (?:a )?draft|no longer (?:a )?draft|out of draft)\b/.test(text) && !/\bas draft\b|\ba draft\b|\binto draft\b|\bto draft\b/.test(text)) {
        return steps(`Mark #${t.pullRequestId} ready for review`, [{ tool: 'pullRequest.update', input: { ...t, draft: false } }]);
      }
      if (/\b(?:draft|wip)\b/.test(text) && !/\b(?:title|rename|retitle|description)\b/.test(text)) {
        return steps(`Mark #${t.pullRequestId} as a draft`, [{ tool: 'pullRequest.update', input: { ...t, draft: true } }]);
      }
      if (/\b(?:destination|target|base|retarget|re-target|rebase onto|point)\b/.test(text) && !/\b(?:title|rename|retitle|description)\b/.test(text)) {
        const destination = toBranchAfter(input, 'to|onto|into|at|against|as');
        if (!destination) return { kind: 'clarify', question: `Which branch should #${t.pullRequestId} merge into?`, choices: toBranchChoices(input, (b) => `change the destination of #${t.pullRequestId} to ${b}`) };
        return steps(`Change the destination of #${t.pullRequestId} to ${destination}`, [{ tool: 'pullRequest.update', input: { ...t, destination } }]);
      }
      const isDescription = /\b(?:description|desc|body)\b/.test(text);
      const target = String.raw`(?:\s+(?:of|for|on)?\s*(?:(?:this\s+)?(?:pr|pull request)|this|it|#\d+)(?=\s|$))?`;
      const value = toFreeText(
        input,
        isDescription
          ? new RegExp(String.raw`^\s*(?:change|set|update|edit|make|fix)?\s*(?:the\s+)?(?:pr\s+)?(?:description|desc|body)${target}(?:\s+(?:to|as|en|a|zu))?:?`, 'i')
          : new RegExp(String.raw`^\s*(?:(?:rename|retitle|re-title)${target}(?:\s+(?:to|as|en|a|zu))?|(?:change|set|update|edit|make|fix)?\s*(?:the\s+)?(?:pr\s+)?(?:title|name)${target}(?:\s+(?:to|as))?):?`, 'i'),
      )?.replace(ON_THIS_PR, '');
      if (!value) return { kind: 'clarify', question: isDescription ? 'What should the description say? Put it in quotes.' : `What should #${t.pullRequestId} be called? Put the title in quotes.`, choices: [] };
      const on = toTargetOutside(t, input, value);
      if (isResult(on)) return on;
      if (isDescription) return steps(`Change the description of #${on.pullRequestId}`, [{ tool: 'pullRequest.update', input: { ...on, description: value } }]);
      return steps(`Rename #${on.pullRequestId} to "${value}"`, [{ tool: 'pullRequest.update', input: { ...on, title: value } }]);
    }),
  },
  {
    tool: 'pullRequest.addReviewers',
    matches: ({ text }) =>
      (/^(?:add|request|invite|assign|ask|ping|get|have|cc)\b/.test(text) && /\b(?:reviewers?|review|reviewing|look)\b|@/.test(text) && !/\b(?:comment|branch|repo|repository)\b/.test(text)) ||
      /^@[\w.{}:-]+.*\b(?:review|reviewer|look)\b/.test(text) ||
      /^assign\s+(?!(?:this|it|to)\b)\S+/.test(text) ||
      /^(?:can|could|will|would)\s+(?!you\b|i\b|we\b|someone\b|anyone\b|this\b|it\b)\S+(?:\s+\S+)?\s+(?:review|take a look|have a look|look at)\b/.test(text) ||
      /\b(?:should|must|needs? to|can you)\s+review\b/.test(text),
    build: onPr((t, input) => {
      const people = toPeople(input.fixed, input);
      if ('none' in people) {
        const known = (input.ctx.facts?.people ?? []).filter((p) => p.nickname);
        return {
          kind: 'clarify',
          question: 'Who should review it?',
          choices: known.slice(0, 6).map((p) => ({ label: toPersonLabel(p), clause: `add @${p.nickname} as reviewer` })),
        };
      }
      if ('ambiguous' in people) {
        const { name, matches } = people.ambiguous;
        return {
          kind: 'clarify',
          question: `Which ${name} should review #${t.pullRequestId}?`,
          choices: matches.map((m) => ({ label: m.label, clause: input.clause.raw.replace(new RegExp(`@?${escapeRegExp(name)}\\b`, 'i'), `@${m.ref}`) })),
        };
      }
      return steps(`Add ${people.labels.join(', ')} as reviewer${people.refs.length > 1 ? 's' : ''} of #${t.pullRequestId}`, [
        { tool: 'pullRequest.addReviewers', input: { ...t, reviewers: people.refs } },
      ]);
    }),
  },
  {
    tool: 'pullRequest.approve',
    matches: ({ text }) =>
      /^(?:👍|✅)/.test(text) ||
      /^i (?:approve|am approving|sign off|give (?:it |this )?my approval)\b/.test(text) ||
      /^(?:approve|approved|approving|lgtm|\+1|ack|looks good|look good|looks great|sign off|sign-off|signoff|give (?:it |this )?(?:my )?(?:approval|a thumbs up|\+1)|thumbs up|mark (?:this |it )?(?:as )?approved|ok to merge|good to go|ship ?it|shipit)\b/.test(text) &&
      !/\b(?:merge|land)\b/.test(text.replace(/\bok to merge\b/, '')) ||
      /^(?:approve|lgtm)\b/.test(text),
    build: onPr((t, input) => {
      const alsoShip = /^(?:ship ?it|shipit)\b/.test(input.text) || /\bship it\b/.test(input.text);
      if (alsoShip) return steps(`Merge #${t.pullRequestId}`, [{ tool: 'pullRequest.merge', input: t }]);
      return steps(`Approve #${t.pullRequestId}`, [{ tool: 'pullRequest.approve', input: t }]);
    }),
  },
  {
    tool: 'pullRequest.mergeWhenGreen',
    matches: ({ text }) =>
      (/\b(?:merge|ship|land|squash)\b/.test(text) && GREEN.test(text)) || /\b(?:auto[ -]?merge|automerge|enable auto|turn on auto)\b/.test(text),
    build: onPr((t, input) => {
      const strategy = toStrategy(input.text.replace(/\bmerge when\b/, ''));
      return steps(`Merge #${t.pullRequestId} when its builds pass`, [{ tool: 'pullRequest.mergeWhenGreen', input: { ...t, ...(strategy ? { strategy } : {}) } }]);
    }),
  },
  {
    tool: 'pullRequest.merge',
    matches: ({ text }) => /^(?:merge|ship|land|squash|fast-forward|ff|hit merge|press merge|click merge|do the merge|get (?:this|#\d+) merged)\b/.test(text) || /^(?:this|#\d+)\s+(?:can be|should be)\s+merged\b/.test(text),
    build: onPr((t, input) => {
      const strategy = toStrategy(input.text);
      const rest = input.text
        .replace(/^(?:merge|ship|land|squash|fast-forward|ff|hit merge|press merge|click merge|do the merge|get)\b/, '')
        .replace(/#\d+/g, '')
        .replace(/\b(?:this|pr|pull request|merged?|in|now|right away|immediately|please|pls|using|with|via|by|a|the|an|strategy|squash(?:ed|ing)?|fast[ -]?forward|ff|ff-only|no-ff|merge[ -]commit|commit|rebase|and|go|ahead|for me|already|then|can be|should be|asap|straight away|away|right|it|to|main|master|thing|stuff|one|baby|sucker|already|"q")\b/g, '')
        .trim();
      if (rest !== '') {
        const into = /\binto\s+(\S+)/.exec(input.raw)?.[1];
        const destination = input.ctx.facts?.pullRequest?.destinationBranch;
        if (into && destination && into !== destination) {
          return error(`#${t.pullRequestId} merges into ${destination}, not ${into}. To merge it into ${into}, first say "change the destination to ${into}".`);
        }
        if (!into) return error(`Bosun did not understand "${rest}" after merge #${t.pullRequestId}.`);
      }
      return steps(`Merge #${t.pullRequestId}${strategy ? ` (${strategy})` : ''}`, [{ tool: 'pullRequest.merge', input: { ...t, ...(strategy ? { strategy } : {}) } }]);
    }),
  },
  {
    tool: 'pipeline.stop',
    matches: ({ text }) => /^(?:stop|cancel|abort|halt|kill|terminate)\b.*\b(?:pipelines?|builds?|run|job|ci)\b/.test(text),
    build: ({ text, repo }) => {
      if (!repo) return error(NEED_REPO);
      const n = /\b(?:pipelines?|builds?|run|job)\s*(?:number\s*|no\.?\s*)?#?(\d+)\b/.exec(text)?.[1] ?? /#(\d+)/.exec(text)?.[1];
      const uuid = /\{[0-9a-f-]{36}\}/i.exec(text)?.[0];
      if (!n && !uuid) return error('Which pipeline? Say its build number, like "stop pipeline 42".');
      const pipeline = uuid ?? Number(n);
      return steps(`Stop pipeline ${uuid ?? `#${n}`}`, [{ tool: 'pipeline.stop', input: { ...repo, pipeline } }]);
    },
  },
  {
    // Before pipeline.rerunFailed: a re-run that names one run ("rerun pipeline 12") is that run, not the last failed one.
    tool: 'pipeline.rerun',
    matches: ({ text }) =>
      /\b(?:re-?run|retry|restart|rebuild|re-?build|re-?trigger|redo|re-?launch|run again|again)\b/.test(text) &&
      /\b(?:pipelines?|builds?|run)\s*(?:number\s*|no\.?\s*)?#?\d+\b|\{[0-9a-f-]{36}\}/i.test(text),
    build: ({ text, repo }) => {
      if (!repo) return error(NEED_REPO);
      const uuid = /\{[0-9a-f-]{36}\}/i.exec(text)?.[0];
      const n = /\b(?:pipelines?|builds?|run)\s*(?:number\s*|no\.?\s*)?#?(\d+)\b/.exec(text)?.[1];
      const pipeline = uuid ?? Number(n);
      return steps(`Run pipeline ${uuid ?? `#${n}`} again`, [{ tool: 'pipeline.rerun', input: { ...repo, pipeline } }]);
    },
  },
  {
    tool: 'pipeline.rerunFailed',
    matches: ({ text }) =>
      /^(?:re-?run|retry|restart|rebuild|re-?build|re-?trigger|kick(?! off)|re-?start|try again|run again|run (?:it|this|the \w+) again|rerun|redo|retest|re-test|re-?launch)\b/.test(text) ||
      /\b(?:re-?run|retry|restart|rebuild)\b.*\b(?:failed|failing|broken|pipeline|build|ci|job|tests?)\b/.test(text) ||
      /^(?:run|start|trigger)\b.*\bagain\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const branch = toBranchAfter(input, 'on|for|of|in');
      if (branch) return steps(`Run the failed pipeline on ${branch} again`, [{ tool: 'pipeline.rerunFailed', input: { ...input.repo, branch } }]);
      const id = input.prNumber ?? input.ctx.pullRequestId;
      if (id === undefined || id === null) return error('Which branch? Say it, like "rerun the failed pipeline on main".');
      return steps(`Run the failed pipeline of #${id}'s branch again`, [{ tool: 'pipeline.rerunFailed', input: { ...input.repo, pullRequestId: id } }]);
    },
  },
  {
    tool: 'pipeline.trigger',
    matches: ({ text }) =>
      /^(?:run|trigger|start|kick off|launch|execute|fire|build|deploy)\b/.test(text) && /\b(?:pipelines?|builds?|ci|deploy|deployment|tests?|custom)\b|^build\b|^deploy\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const custom =
        /\bcustom(?:\s+pipeline)?[:\s]+"?([\w.:/-]+)"?/i.exec(input.fixed)?.[1] ??
        /\b(?:run|trigger|start|launch|execute)\s+(?:the\s+)?"?([\w.-]+)"?\s+pipeline\b/i.exec(input.fixed)?.[1] ??
        (/^\s*deploy\b/i.test(input.fixed) ? 'deploy' : undefined);
      const pattern = custom && !['the', 'a', 'failed', 'this', 'my', 'new', 'default'].includes(custom.toLowerCase()) ? custom : undefined;
      const branch = toBranchAfter(input, 'on|for|of|against') ?? input.ctx.facts?.pullRequest?.sourceBranch ?? null;
      if (!branch) return { kind: 'clarify', question: 'Which branch should the pipeline run on?', choices: toBranchChoices(input, (b) => `run the pipeline on ${b}`) };
      const variables = toPipelineVariables(input.raw);
      return steps(`Run ${pattern ? `the ${pattern} pipeline` : 'the pipeline'} on ${branch}${variables.length ? ` with ${variables.map((v) => v.key).join(', ')}` : ''}`, [
        { tool: 'pipeline.trigger', input: { ...input.repo, branch, ...(pattern ? { selector: { type: 'custom', pattern } } : {}), ...(variables.length ? { variables } : {}) } },
      ]);
    },
  },
  {
    tool: 'pullRequest.open',
    matches: ({ text }) =>
      /^(?:open|create|make|raise|start|submit|file|new|send|put up)\b.*\b(?:pr|pull request|pull-request|pullrequest|merge request|mr)\b/.test(text) ||
      /^(?:open|create|make|raise|start|submit|file|new|send|put up)\b(?:\s+(?:a|an|the))?\s+(?:new\s+)?(?:draft\s+)?(?:#\d+|this)?\s*from\b/.test(text) ||
      /^(?:pr|pull request)\s+from\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const source = toBranchAfter(input, 'from|for|of');
      const destination = toBranchAfter(input, 'to|into|against|onto|targeting');
      if (!source) return { kind: 'clarify', question: 'From which branch?', choices: toBranchChoices(input, (b) => `open a PR from ${b}${destination ? ` to ${destination}` : ''}`) };
      const title =
        toFreeText(input, /\b(?:titled|called|named|with (?:the )?title|title[d:]?)\s*/i) ??
        (destination ? `Merge ${source} into ${destination}` : `Merge ${source}`);
      const draft = /\bdraft\b/.test(input.text);
      return steps(`Open a pull request from ${source}${destination ? ` to ${destination}` : ''}`, [
        { tool: 'pullRequest.open', input: { ...input.repo, source, ...(destination ? { destination } : {}), title, ...(draft ? { draft: true } : {}) } },
      ]);
    },
  },
  {
    tool: 'repository.create',
    matches: ({ clause }) => /^(?:create|make|new|add|set up|setup|init|initialise|initialize|start)\b.*\b(?:repo|repository)\b/.test(clause.text) && !/\b(?:repos|repositories)\b/.test(clause.text),
    build: ({ clause, ctx }) => {
      const named =
        /\b(?:named|called|with (?:the )?name|slug)\s+"?([\w.-]+)"?/i.exec(clause.raw)?.[1] ??
        /\b(?:repo|repository)\s+"?([\w.-]+)"?/i.exec(clause.raw)?.[1];
      const slug = named && !['named', 'called', 'for', 'in', 'with'].includes(named.toLowerCase()) ? named.toLowerCase() : null;
      if (!slug) return { kind: 'clarify', question: 'What should the new repository be called? Say "create a repo named <slug>".', choices: [] };
      const isPrivate = !/\bpublic\b/.test(clause.text);
      const description = /\b(?:described as|description|about)\s+"([^"]+)"/i.exec(clause.raw)?.[1];
      return steps(`Create the ${isPrivate ? 'private' : 'public'} repository ${slug}`, [
        { tool: 'repository.create', input: { workspace: ctx.repo?.workspace ?? ctx.tenant.workspace, repo: slug, isPrivate, ...(description ? { description } : {}) } },
      ]);
    },
  },
  {
    tool: 'branch.create',
    matches: ({ text }) =>
      (/^(?:create|make|cut|new|add|start|open|branch off|fork)\b.*\bbranch\b|^branch\s+\S+\s+(?:from|off)\b|^branch off\b/.test(text)) &&
      !/\b(?:pr|pull request|merge request|repo|repository)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const named =
        /\b(?:named|called|as)\s+"?([^\s"]+)"?/i.exec(input.fixed)?.[1] ??
        /\bbranch\s+(?!(?:named|called|from|off|for)(?:\s|$))"?([^\s"]+)"?/i.exec(input.fixed)?.[1];
      const name = named && isBranchName(named) ? named : null;
      const from = toBranchAfter(input, 'from|off(?: of)?|based on|on top of|of');
      if (!name) return { kind: 'clarify', question: 'What should the new branch be called? Say "create branch <name> from <branch>".', choices: [] };
      if (!from) {
        return { kind: 'clarify', question: `Create ${name} from which branch?`, choices: toBranchChoices(input, (b) => `create branch ${name} from ${b}`) };
      }
      return steps(`Create branch ${name} from ${from}`, [{ tool: 'branch.create', input: { ...input.repo, name, from } }]);
    },
  },
  {
    tool: 'branch.delete',
    matches: ({ text }) => /^(?:delete|remove|drop|nuke|get rid of|clean up|cleanup|prune|destroy|rm)\b.*\bbranch\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const source = /\bsource\s+branch\b/i.test(input.fixed) ? (input.ctx.facts?.pullRequest?.sourceBranch ?? null) : null;
      const named =
        /\bbranch\s+(?:named\s+|called\s+)?"?([^\s"]+)"?/i.exec(input.fixed)?.[1] ??
        /^\s*(?:delete|remove|drop|nuke|destroy|rm)\s+(?:the\s+)?(?!(?:source|a|an|the|this|that|my|old|this)\s)"?([^\s"]+)"?\s+branch\b/i.exec(input.fixed)?.[1];
      const name = source ?? (named && isBranchName(named) && !['named', 'called'].includes(named) ? named : null);
      if (!name) {
        const src = input.ctx.facts?.pullRequest?.sourceBranch;
        return { kind: 'clarify', question: 'Which branch should Bosun delete?', choices: src ? [{ label: src, clause: `delete branch ${src}` }] : [] };
      }
      return steps(`Delete branch ${name}`, [{ tool: 'branch.delete', input: { ...input.repo, name } }]);
    },
  },
  {
    tool: 'buildStatus.report',
    matches: ({ text }) => /^(?:report|mark|set|flag|post|publish)\b.*\b[0-9a-f]{7,40}\b|^report\b.*\b(?:build|status|check)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const commit = /\b(?:commit\s+)?([0-9a-f]{7,40})\b/i.exec(input.text)?.[1] ?? /\bcommit\s+([0-9a-f]{4,40})\b/i.exec(input.text)?.[1];
      const state = STATES.find(([re]) => re.test(input.text))?.[1];
      const name = (toFreeText(input, /\b(?:named|called)\s+/i) ?? toFreeText(input, /\bcheck\s+(?!for\b)/i))?.replace(/^["“'](.*)["”']$/, '$1');
      if (!commit) return error('Which commit? Give its hash, like "report a failed build for commit abc1234 named lint".');
      if (!state) return { kind: 'clarify', question: `Which state for ${commit}?`, choices: (['failed', 'successful', 'in progress'] as const).map((s) => ({ label: s, clause: `report a ${s} build for commit ${commit}${name ? ` named ${name}` : ''}` })) };
      if (!name) return error(`What is the check called? Say "report a ${state.toLowerCase()} build for commit ${commit} named <check>".`);
      return steps(`Report ${state} for "${name}" on ${commit}`, [{ tool: 'buildStatus.report', input: { ...input.repo, commit, state, name } }]);
    },
  },
  {
    // "cancel" alone on a PR: the automatic merge, or the PR itself? Ask rather than guess a destructive action.
    tool: 'pullRequest.cancelAutoMerge',
    matches: ({ text }) => /^(?:cancel|cancel (?:this|#\d+)|abort|stop)$/.test(text),
    build: onPr((t) => ({
      kind: 'clarify',
      question: `Cancel what on #${t.pullRequestId}?`,
      choices: [
        { label: 'Its automatic merge', clause: `cancel the auto-merge of #${t.pullRequestId}` },
        { label: 'The pull request (decline it)', clause: `decline #${t.pullRequestId}` },
      ],
    })),
  },
  {
    tool: 'pullRequest.decline',
    matches: ({ text }) =>
      /^(?:decline|close|reject|abandon|kill|drop|discard|trash|bin|shut|scrap|cancel|withdraw|won't merge|wont merge|wontfix)\b/.test(text) &&
      !/\b(?:branch|pipeline|build|comment|repo|repository)\b/.test(text),
    build: onPr((t) => steps(`Decline #${t.pullRequestId}`, [{ tool: 'pullRequest.decline', input: t }])),
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toBranchChoices(input: IntentInput, toClause: (branch: string) => string): Array<{ label: string; clause: string }> {
  const pr = input.ctx.facts?.pullRequest;
  const branches = [...new Set([pr?.sourceBranch, pr?.destinationBranch].filter((b): b is string => Boolean(b)))];
  return branches.map((b) => ({ label: b, clause: toClause(b) }));
}


