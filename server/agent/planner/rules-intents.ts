import type { PlanStep } from '../executor/plan';
import type { Intent, IntentInput, IntentResult } from './intents';

/**
 * The automation rules in words: what would they do here (a preview that writes nothing), and run
 * them now. Each needs the word "rules" or "automation", so "run pipeline" and "is this ready?"
 * stay what they were.
 */

const NEED_REPO = 'Which repository? Add "in repo <name>" to the request.';
const NEED_PR = 'Which pull request? Say its number, like #12.';
const RULES = /\b(?:rules?|automations?|automated rules|bosun rules)\b/;
const RUN = /^(?:please\s+)?(?:run|rerun|re-run|apply|trigger|execute|kick off|fire|start)\b|\b(?:run|rerun|re-run|apply|trigger|execute)\s+(?:the\s+|all\s+)?(?:automation|rules?|automations?)\b/;
const PREVIEW = /\b(?:would|preview|dry[ -]?run|simulate|what (?:will|does|do)|which|show|list|see|explain)\b/;

const target = (input: IntentInput): { workspace: string; repo: string; pullRequestId: number } | IntentResult => {
  if (!input.repo) return { kind: 'error', message: NEED_REPO };
  const id = input.prNumber ?? input.ctx.pullRequestId;
  if (id === undefined || id === null) return { kind: 'error', message: NEED_PR };
  return { ...input.repo, pullRequestId: id };
};
const steps = (summary: string, list: PlanStep[]): IntentResult => ({ kind: 'steps', summary, steps: list });

export const RULES_INTENTS: readonly Intent[] = [
  {
    tool: 'pullRequest.previewRules',
    matches: ({ text, clause }) => RULES.test(text) && (PREVIEW.test(text) || clause.question) && !/^(?:please\s+)?(?:run|rerun|re-run|apply|trigger|execute)\b/.test(text),
    build: (input) => {
      const t = target(input);
      return 'kind' in t ? t : steps(`Show what the automation rules would do on #${t.pullRequestId}`, [{ tool: 'pullRequest.previewRules', input: t }]);
    },
  },
  {
    tool: 'pullRequest.runRules',
    matches: ({ text }) => RULES.test(text) && RUN.test(text) && !/\b(?:would|preview|dry[ -]?run|simulate)\b/.test(text),
    build: (input) => {
      const t = target(input);
      return 'kind' in t ? t : steps(`Run the automation rules on #${t.pullRequestId} now`, [{ tool: 'pullRequest.runRules', input: t }]);
    },
  },
];
