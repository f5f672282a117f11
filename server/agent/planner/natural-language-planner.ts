import type { CommitStatusState, MergeStrategy } from '../../bitbucket';
import type { Plan, PlanStep } from '../executor/plan';
import { toRepoInput, type Planner, type PlannerContext, type PlanOutcome } from './planner';

/** Phrasings the deterministic planner understands; also what it suggests when it does not. */
export const NATURAL_LANGUAGE_EXAMPLES = [
  'merge #12',
  'merge #12 when the build passes',
  'approve #3',
  'decline #4',
  'add reviewers @bob to #5',
  'open a PR from feature/login to main titled Add login',
  'rerun the failed pipeline on main',
  'create branch hotfix/x from main',
  'report a failed build for commit abc123 named lint',
  'what is the status of #12',
] as const;

type RepoInput = { workspace: string; repo: string };

interface Rule {
  pattern: RegExp;
  /** Gets the match and the repo; returns the steps and summary, or an error message. */
  toPlan(m: RegExpExecArray, repo: RepoInput, ctx: PlannerContext): { summary: string; steps: PlanStep[] } | string;
}

const PR = String.raw`(?:(?:pr|pull request|pull-request)\s+)?(?:#(\d+)|(this|it|this pr|this pull request))`;
const BRANCH = String.raw`([^\s~^:?*[\\]+)`;
const WHEN_GREEN = /\b(?:when|once|after|as soon as)\b.*\b(?:green|pass(?:es|ed)?|succeeds?|successful|ci|builds?|checks?)\b/i;

const STRATEGIES: Array<[RegExp, MergeStrategy]> = [
  [/\bsquash\b/i, 'squash'],
  [/\bfast[ -_]?forward\b|\bff\b/i, 'fast_forward'],
  [/\bmerge[ -_]commit\b/i, 'merge_commit'],
];

const STATES: Array<[RegExp, CommitStatusState]> = [
  [/^(?:failed|failing|failure|broken|red)$/i, 'FAILED'],
  [/^(?:successful|success|passed|passing|green|good)$/i, 'SUCCESSFUL'],
  [/^(?:in progress|in-progress|running|pending)$/i, 'INPROGRESS'],
  [/^(?:stopped|cancelled|canceled)$/i, 'STOPPED'],
];

function toPrId(m: RegExpExecArray, idGroup: number, ctx: PlannerContext): number | string {
  const id = m[idGroup];
  if (id !== undefined) return Number(id);
  if (ctx.pullRequestId !== undefined) return ctx.pullRequestId;
  return 'Which pull request? Say its number, like #12.';
}

const RULES: Rule[] = [
  {
    pattern: new RegExp(String.raw`^merge\s+${PR}(.*)$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = toPrId(m, 1, ctx);
      if (typeof id === 'string') return id;
      const rest = m[3] ?? '';
      const strategy = STRATEGIES.find(([re]) => re.test(rest))?.[1];
      const input = { ...repo, pullRequestId: id, ...(strategy ? { strategy } : {}) };
      if (WHEN_GREEN.test(rest)) return { summary: `Merge #${id} when its builds pass`, steps: [{ tool: 'pullRequest.mergeWhenGreen', input }] };
      if (rest.trim() !== '' && !strategy && !/^\s*(?:now|please)?\s*$/i.test(rest)) return `Bosun did not understand "${rest.trim()}" after merge #${id}.`;
      return { summary: `Merge #${id}${strategy ? ` (${strategy})` : ''}`, steps: [{ tool: 'pullRequest.merge', input }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^approve\s+${PR}$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = toPrId(m, 1, ctx);
      if (typeof id === 'string') return id;
      return { summary: `Approve #${id}`, steps: [{ tool: 'pullRequest.approve', input: { ...repo, pullRequestId: id } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^request changes (?:on|to|for)\s+${PR}$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = toPrId(m, 1, ctx);
      if (typeof id === 'string') return id;
      return { summary: `Request changes on #${id}`, steps: [{ tool: 'pullRequest.requestChanges', input: { ...repo, pullRequestId: id } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^(?:decline|reject)\s+${PR}$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = toPrId(m, 1, ctx);
      if (typeof id === 'string') return id;
      return { summary: `Decline #${id}`, steps: [{ tool: 'pullRequest.decline', input: { ...repo, pullRequestId: id } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^cancel (?:the )?(?:auto[- ]?merge|automatic merge|merge when green)(?: (?:on|of|for)\s+${PR})?$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = toPrId(m, 1, ctx);
      if (typeof id === 'string') return id;
      return { summary: `Cancel the automatic merge of #${id}`, steps: [{ tool: 'pullRequest.cancelAutoMerge', input: { ...repo, pullRequestId: id } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^(?:what(?:'s| is) the )?status (?:of|for|on)\s+${PR}$|^is\s+${PR}\s+ready(?: to merge)?$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = m[1] !== undefined || m[2] !== undefined ? toPrId(m, 1, ctx) : toPrId(m, 3, ctx);
      if (typeof id === 'string') return id;
      return { summary: `Check whether #${id} can be merged`, steps: [{ tool: 'pullRequest.status', input: { ...repo, pullRequestId: id } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^(?:add|request)\s+(?:reviewers?\s+|review from\s+)?((?:@[\w.{}:-]+[\s,]*(?:and\s+)?)+)(?:as reviewers?\s+)?(?:to|on|for)\s+${PR}$`, 'i'),
    toPlan(m, repo, ctx) {
      const id = toPrId(m, 2, ctx);
      if (typeof id === 'string') return id;
      const reviewers = [...new Set((m[1] ?? '').match(/@[\w.{}:-]+/g)?.map((r) => r.slice(1)) ?? [])];
      return {
        summary: `Add ${reviewers.map((r) => `@${r}`).join(', ')} as reviewers of #${id}`,
        steps: [{ tool: 'pullRequest.addReviewers', input: { ...repo, pullRequestId: id, reviewers } }],
      };
    },
  },
  {
    pattern: new RegExp(
      String.raw`^(?:open|create|make|raise)\s+(?:a\s+|an\s+)?(?:pr|pull request|pull-request)\s+from\s+${BRANCH}\s+(?:to|into|against)\s+${BRANCH}(?:\s+(?:titled|called|named|with title)\s+(.+))?$`,
      'i',
    ),
    toPlan(m, repo) {
      const [source, destination] = [m[1] as string, m[2] as string];
      const title = m[3]?.trim().replace(/^["“'](.*)["”']$/, '$1') || `Merge ${source} into ${destination}`;
      return {
        summary: `Open a pull request from ${source} to ${destination}`,
        steps: [{ tool: 'pullRequest.open', input: { ...repo, source, destination, title } }],
      };
    },
  },
  {
    pattern: new RegExp(String.raw`^(?:re-?run|retry|restart)\s+(?:the\s+)?(?:last\s+)?failed\s+(?:pipeline|build)\s+(?:on|for|of)\s+(?:branch\s+)?${BRANCH}$`, 'i'),
    toPlan(m, repo) {
      const branch = m[1] as string;
      return { summary: `Run the failed pipeline on ${branch} again`, steps: [{ tool: 'pipeline.rerunFailed', input: { ...repo, branch } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^(?:create|make|cut)\s+(?:a\s+)?(?:new\s+)?branch\s+(?:named\s+|called\s+)?${BRANCH}\s+(?:from|off(?: of)?|based on)\s+${BRANCH}$`, 'i'),
    toPlan(m, repo) {
      const [name, from] = [m[1] as string, m[2] as string];
      return { summary: `Create branch ${name} from ${from}`, steps: [{ tool: 'branch.create', input: { ...repo, name, from } }] };
    },
  },
  {
    pattern: new RegExp(String.raw`^delete\s+(?:the\s+)?branch\s+${BRANCH}$`, 'i'),
    toPlan(m, repo) {
      const name = m[1] as string;
      return { summary: `Delete branch ${name}`, steps: [{ tool: 'branch.delete', input: { ...repo, name } }] };
    },
  },
  {
    pattern:
      /^report\s+(?:an?\s+)?(failed|failing|successful|success|passed|passing|green|red|in[ -]progress|running|pending|stopped|cancelled|canceled)\s+(?:build|status|check)\s+(?:for|on)\s+(?:commit\s+)?([0-9a-f]{4,40})\s+(?:named|called)\s+(.+)$/i,
    toPlan(m, repo) {
      const state = STATES.find(([re]) => re.test(m[1] as string))?.[1] as CommitStatusState;
      const name = (m[3] as string).trim().replace(/^["“'](.*)["”']$/, '$1');
      return {
        summary: `Report ${state} for "${name}" on ${m[2]}`,
        steps: [{ tool: 'buildStatus.report', input: { ...repo, commit: m[2], state, name } }],
      };
    },
  },
];

/** "… in repo web", "… in acme/web": an explicit repository at the end of the request. */
const IN_REPO = /\s+in\s+(?:the\s+)?(?:(?:repo|repository)\s+([\w.-]+(?:\/[\w.-]+)?)|([\w.-]+\/[\w.-]+))\s*$/i;

function normalize(text: string): string {
  return text
    .trim()
    .replace(/^(?:@?bosun[,:]?\s+)?(?:please\s+|can you\s+|could you\s+)?/i, '')
    .replace(/[\s.!?]+$/, '')
    .replace(/\s+please$/i, '')
    .replace(/\s+/g, ' ');
}

/**
 * A deterministic planner for common phrasings: no model, no network, the same text always gives
 * the same plan. Anything else gets an error listing phrasings it knows.
 */
export function createNaturalLanguagePlanner(): Planner {
  return {
    async plan(text, ctx): Promise<PlanOutcome> {
      let request = normalize(text);
      let repo = toRepoInput(ctx.repo);
      const inRepo = IN_REPO.exec(request);
      if (inRepo) {
        const named = (inRepo[1] ?? inRepo[2]) as string;
        const [workspace, slug] = named.includes('/') ? (named.split('/', 2) as [string, string]) : [ctx.repo?.workspace ?? ctx.tenant.workspace, named];
        repo = { workspace, repo: slug };
        request = request.slice(0, inRepo.index);
      }
      for (const rule of RULES) {
        const m = rule.pattern.exec(request);
        if (!m) continue;
        if (!repo) return { error: 'Which repository? Add "in repo <name>" to the request.', suggestions: [`${request} in repo <name>`] };
        const out = rule.toPlan(m, repo, ctx);
        if (typeof out === 'string') return { error: out, suggestions: [...NATURAL_LANGUAGE_EXAMPLES] };
        const plan: Plan = { summary: out.summary, steps: out.steps, source: 'natural-language' };
        return plan;
      }
      return { error: `Bosun did not understand "${text.trim()}".`, suggestions: [...NATURAL_LANGUAGE_EXAMPLES] };
    },
  };
}
