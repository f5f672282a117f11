import type { PlanStep } from '../executor/plan';
import type { Intent, IntentInput, IntentResult } from './intents';

/**
 * The merge queue in words: join, leave, where is it, freeze and unfreeze a branch's queue. They
 * come before the merge intents, and each needs the word "queue" (or freeze/thaw), so "merge this"
 * and "merge when green" stay what they were.
 */

const NEED_REPO = 'Which repository? Add "in repo <name>" to the request.';
const NEED_PR = 'Which pull request? Say its number, like #12.';
const NEED_BRANCH = 'Which branch? Say it, like "freeze the main queue".';
const steps = (summary: string, list: PlanStep[]): IntentResult => ({ kind: 'steps', summary, steps: list });
const error = (message: string): IntentResult => ({ kind: 'error', message });

const QUEUE = /\b(?:merge[ -]?queue|queue[ds]?|queuing|queueing|enqueue|line)\b/;
const NOT_BRANCHES = new Set(['the', 'this', 'that', 'our', 'my', 'a', 'merge', 'merges', 'merging', 'queue', 'it', 'branch', 'repo', 'repository', 'pr', 'pull', 'all', 'in', 'for', 'of', 'on', 'to', 'into', 'please', 'pls', 'now', 'today', 'source', 'destination', 'target']);

/** "the main queue", "queue of main", "merges to release/1.2", "freeze develop"; else the PR's destination. */
function toBranch(input: IntentInput): string | null {
  const text = input.fixed;
  const patterns = [
    /\b(?:of|on|for|to|into)\s+(?:the\s+)?(?:branch\s+)?([\w./-]+?)(?:\s+branch)?(?=\s|$|[,;!?]|\.(?:\s|$))/gi,
    /\b([\w./-]+)\s+(?:merge\s+)?(?:queue|branch)\b/gi,
    /^(?:freeze|unfreeze|thaw|unlock|lock)\s+(?:the\s+)?([\w./-]+)\b/gi,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const word = m[1];
      if (word && !NOT_BRANCHES.has(word.toLowerCase()) && !/^#\d+$/.test(word) && !/^(?:repo|in)$/i.test(word)) return word;
    }
  }
  return input.ctx.facts?.pullRequest?.destinationBranch ?? null;
}

function toPr(input: IntentInput): number | null {
  return input.prNumber ?? input.ctx.pullRequestId ?? null;
}

/** "as a hotfix", "hotfix lane", "in the urgent lane", "with priority" (the first lane ahead of the default). */
function toLane(text: string): string | null {
  const named = /\b(?:in|into|on)\s+(?:the\s+)?([\w.-]+)\s+lane\b|\b([\w.-]+)\s+lane\b|\bas\s+(?:an?\s+)?(hotfix)\b/.exec(text);
  const lane = named?.[1] ?? named?.[2] ?? named?.[3];
  if (lane && !['the', 'a', 'default', 'normal'].includes(lane)) return lane;
  return /\b(?:hotfix|urgent|priority|prioritized|asap|jump the)\b/.test(text) ? 'hotfix' : null;
}

export const MERGE_QUEUE_INTENTS: readonly Intent[] = [
  {
    tool: 'mergeQueue.unfreeze',
    matches: ({ text }) => /\b(?:unfreeze|unfroze|thaw|defrost)\b/.test(text) || /\b(?:lift|end|remove|cancel|stop|undo|drop)\b.*\bfreeze\b/.test(text) || /\bunlock\b.*\b(?:queue|merges?)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const branch = toBranch(input);
      if (!branch) return error(NEED_BRANCH);
      return steps(`Unfreeze the ${branch} merge queue`, [{ tool: 'mergeQueue.unfreeze', input: { ...input.repo, branch } }]);
    },
  },
  {
    tool: 'mergeQueue.freeze',
    matches: ({ text }) => /\b(?:freeze|froze|frozen)\b/.test(text) && !/^(?:is|are)\b/.test(text) || /\block\b.*\b(?:queue|merges)\b/.test(text) || /\b(?:stop|halt|block)\s+(?:all\s+)?merg(?:es|ing)\s+(?:to|into|on)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const branch = toBranch(input);
      if (!branch) return error(NEED_BRANCH);
      return steps(`Freeze the ${branch} merge queue`, [{ tool: 'mergeQueue.freeze', input: { ...input.repo, branch } }]);
    },
  },
  {
    tool: 'mergeQueue.dequeue',
    matches: ({ text }) =>
      /\b(?:dequeue|unqueue|de-queue)\b/.test(text) ||
      (QUEUE.test(text) && /\b(?:remove|take|pull|drop|get|kick|leave|out of|off|cancel)\b/.test(text) && !/\b(?:show|list|where|status|position)\b/.test(text)),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const pullRequestId = toPr(input);
      if (pullRequestId === null) return error(NEED_PR);
      return steps(`Take #${pullRequestId} out of the merge queue`, [{ tool: 'mergeQueue.dequeue', input: { ...input.repo, pullRequestId } }]);
    },
  },
  {
    tool: 'mergeQueue.status',
    matches: ({ text, clause }) =>
      /^(?:is|are)\b.*\bfrozen\b/.test(text) ||
      /^queue\s+(?:status|position|length|order|eta)\b/.test(text) ||
      /\bqueue\b/.test(text) &&
      (clause.question ||
        /\b(?:where|position|place|status|how (?:far|long|many)|when will|eta|show|list|see|view|what'?s in|whats in|who'?s in|order|ahead)\b/.test(text)) &&
      !/^(?:add|put|queue|enqueue|send|place)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const pr = toPr(input);
      const branchAsked = /\b(?:show|list|see|view|what'?s in|whats in|who'?s in|order|how many|frozen)\b/.test(input.text) && !/\b(?:this|#\d+|my|it|me)\b/.test(input.text);
      if (pr !== null && !branchAsked) return steps(`Show where #${pr} is in its merge queue`, [{ tool: 'mergeQueue.status', input: { ...input.repo, pullRequestId: pr } }]);
      const branch = toBranch(input);
      if (!branch) return error(NEED_BRANCH);
      return steps(`Show the ${branch} merge queue`, [{ tool: 'mergeQueue.status', input: { ...input.repo, branch } }]);
    },
  },
  {
    tool: 'mergeQueue.enqueue',
    matches: ({ text }) =>
      /^(?:queue(?!\s+(?:status|position|length|order|eta)\b)|enqueue)\b/.test(text) ||
      /\b(?:add|put|send|place|push|get|stick)\b.*\b(?:to|in|into|on)\s+(?:the\s+)?(?:merge\s+)?(?:queue|line)\b/.test(text) ||
      /\b(?:merge|land|ship)\b.*\b(?:via|through|using|with|by)\s+(?:the\s+)?(?:merge\s+)?queue\b/.test(text) ||
      /\bqueue\s+(?:it|this|#\d+|me)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const pullRequestId = toPr(input);
      if (pullRequestId === null) return error(NEED_PR);
      const lane = toLane(input.text);
      return steps(`Queue #${pullRequestId} for merging${lane ? ` (${lane} lane)` : ''}`, [{ tool: 'mergeQueue.enqueue', input: { ...input.repo, pullRequestId, ...(lane ? { lane } : {}) } }]);
    },
  },
];
