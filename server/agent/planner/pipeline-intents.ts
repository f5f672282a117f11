import type { PlanStep } from '../executor/plan';
import type { Intent, IntentInput, IntentResult } from './intents';

/**
 * Read-only Pipelines requests: recent runs, and the log of the step that failed. They come before
 * the PR status intent, so each matcher is narrow: "pipelines", "runs", "log" (a build's state alone
 * stays a status question).
 */

const NEED_REPO = 'Which repository? Add "in repo <name>" to the request.';
const steps = (summary: string, list: PlanStep[]): IntentResult => ({ kind: 'steps', summary, steps: list });
const error = (message: string): IntentResult => ({ kind: 'error', message });
const NOT_BRANCHES = new Set(['this', 'the', 'it', 'repo', 'repository', 'pr', 'pull', 'a', 'my', 'our', 'ci', 'pipelines', 'builds']);

/** "on main", "for feature/x"; "this PR", "the source branch" → the page's source branch. */
function toBranch(input: IntentInput): string | null {
  // "this PR" reaches here as the page's "#3" (the normaliser names implicit objects).
  const onPr = /\b(?:for|of|on|in)\s+#(\d+)\b/.exec(input.text)?.[1];
  const isThisPr = onPr !== undefined && Number(onPr) === input.ctx.pullRequestId;
  // The normaliser drops "pr" as noise: "pipelines for this pr" reads "pipelines for this".
  if (isThisPr || /\b(?:this|the)\s+(?:pr|pull request|source branch|branch)\b|\bsource branch\b|\b(?:for|of|on|in)\s+this\s*$/.test(input.text)) {
    return input.ctx.facts?.pullRequest?.sourceBranch ?? null;
  }
  for (const m of `${input.fixed} `.matchAll(/\b(?:on|for|of)\s+(?:the\s+)?(?:branch\s+)?([\w./-]+?)(?:\s+branch)?(?=\s|$|[,.;!?])/gi)) {
    const word = m[1];
    if (word && !NOT_BRANCHES.has(word.toLowerCase())) return word;
  }
  return null;
}

/** "with TARGET=staging, DRY_RUN=false": a custom pipeline's variables as written (keys keep their case, quotes dropped). */
export function toPipelineVariables(raw: string): Array<{ key: string; value: string }> {
  return [...raw.matchAll(/(?:^|[\s,;(])([A-Za-z_][A-Za-z0-9_]{0,254})=("[^"]*"|'[^']*'|[^\s,;)]+)/g)].slice(0, 50).map((m) => ({
    key: m[1] ?? '',
    value: (m[2] ?? '').replace(/^(["'])(.*)\1$/, '$2'),
  }));
}

/** "pipeline 12", "build #12", "run 12": a build number (a bare "#3" is the PR). */
const toBuildNumber = (text: string): number | null => {
  const n = /\b(?:pipelines?|builds?|runs?)\s*(?:number\s*|no\.?\s*)?#?(\d+)\b/.exec(text)?.[1];
  return n ? Number(n) : null;
};

export const PIPELINE_READ_INTENTS: readonly Intent[] = [
  {
    tool: 'pipeline.failedStepLog',
    matches: ({ text }) =>
      !/\baudit\b/.test(text) &&
      ((/\b(?:logs?|output|error message|stack ?trace)\b/.test(text) && /\b(?:fail\w*|error\w*|broken|red|build|pipeline|step|ci|job|run)\b/.test(text)) ||
        // "why did the build fail" asks for the log; "why is the build red" stays a status question.
        /^why\b.*\b(?:build|pipeline|ci|tests?|step|job)\b.*\bfail\w*\b/.test(text) ||
        /^what (?:failed|broke)\b/.test(text)),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const pipeline = toBuildNumber(input.text);
      return steps(pipeline ? `Show the failed step's log of pipeline #${pipeline}` : "Show the failed step's log of the latest failed pipeline", [
        { tool: 'pipeline.failedStepLog', input: { ...input.repo, ...(pipeline ? { pipeline } : {}) } },
      ]);
    },
  },
  {
    tool: 'pipeline.list',
    matches: ({ text }) =>
      /^(?:list|show|see|view|get|display|what|which|any)\b.*\b(?:pipelines|pipeline runs|runs|build history|builds? ran)\b/.test(text) ||
      /\b(?:recent|last|latest|previous)\s+(?:\d+\s+)?(?:pipelines?|pipeline runs|builds|runs)\b/.test(text) ||
      /^pipelines\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      // "pipelines for #7" on another PR's page (or none): that PR's source branch, which the tool looks up.
      const otherPr = Number(/\b(?:for|of|on|in)\s+#(\d+)\b/.exec(input.text)?.[1] ?? NaN);
      if (Number.isInteger(otherPr) && otherPr > 0 && otherPr !== input.ctx.pullRequestId) {
        return steps(`List the recent Pipelines runs of PR #${otherPr}`, [{ tool: 'pipeline.list', input: { ...input.repo, pullRequestId: otherPr } }]);
      }
      const branch = toBranch(input);
      return steps(`List the recent Pipelines runs${branch ? ` on ${branch}` : ''}`, [
        { tool: 'pipeline.list', input: { ...input.repo, ...(branch ? { branch } : {}) } },
      ]);
    },
  },
];
