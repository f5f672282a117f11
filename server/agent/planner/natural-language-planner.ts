import type { Plan, PlanStep } from '../executor/plan';
import { INTENTS, NEED_REPO, type IntentInput, type IntentResult, type RepoInput } from './intents';
import { toClauses, type Clause } from './normalize-request';
import { toRepoInput, type Planner, type PlannerContext, type PlanOutcome } from './planner';

/** Phrasings the deterministic planner understands, with placeholder numbers (see toNaturalLanguageExamples for real ones). */
export const NATURAL_LANGUAGE_EXAMPLES = [
  'merge #12',
  'merge #12 when the build passes',
  'approve #3',
  'decline #4',
  'add reviewers @bob to #5',
  'open a PR from feature/login to main titled Add login',
  'rerun the failed pipeline on main',
  'create branch hotfix/x from main',
  'report a failed build for commit abc1234 named lint',
  'what is the status of #12',
] as const;

/** "What Bosun can do", with the current PR's number, branches and people in place of placeholders. */
export function toNaturalLanguageExamples(ctx: Pick<PlannerContext, 'pullRequestId' | 'facts'>): string[] {
  if (ctx.pullRequestId === undefined) return [...NATURAL_LANGUAGE_EXAMPLES, 'list repositories'];
  const pr = `#${ctx.pullRequestId}`;
  const facts = ctx.facts;
  const source = facts?.pullRequest?.sourceBranch;
  const destination = facts?.pullRequest?.destinationBranch ?? 'main';
  const person = facts?.people?.find((p) => p.nickname)?.nickname;
  return [
    `what's blocking ${pr}?`,
    `merge ${pr} when the build passes`,
    `approve ${pr}`,
    `request changes on ${pr}`,
    `add @${person ?? 'ada'} as reviewer`,
    `comment "Looks good" on ${pr}`,
    `rename ${pr} to "${facts?.pullRequest?.title ?? 'New title'}"`,
    `rerun the failed pipeline${source ? ` on ${source}` : ''}`,
    ...(source ? [`create branch ${source}-2 from ${destination}`] : []),
    `decline ${pr}`,
    'list repositories',
  ];
}

/** "… in repo web", "… in acme/web", "… on repository api": an explicit repository, removed from the clause. */
const IN_REPO = /\s*\b(?:(?:in|on|for|of|at)\s+(?:the\s+)?(?:(?:repo|repository)\s+([\w.-]+(?:\/[\w.-]+)?)|([\w.-]+)\s+(?:repo|repository)\b)|in\s+([\w.-]+\/[\w.-]+)(?=\s*$))/i;

function toClauseInput(clause: Clause, ctx: PlannerContext): IntentInput {
  let repo: RepoInput | null = toRepoInput(ctx.repo);
  let { raw, fixed, text } = clause;
  const named = IN_REPO.exec(fixed);
  const slugOrPath = named ? ((named[1] ?? named[2] ?? named[3]) as string) : null;
  if (named && slugOrPath && !['this', 'the', 'a', 'that', 'our', 'my'].includes(slugOrPath.toLowerCase())) {
    const [workspace, slug] = slugOrPath.includes('/') ? (slugOrPath.split('/', 2) as [string, string]) : [ctx.repo?.workspace ?? ctx.tenant.workspace, slugOrPath];
    repo = { workspace, repo: slug.toLowerCase() };
    const cut = (s: string) => s.replace(IN_REPO, ' ').replace(/\s+/g, ' ').trim();
    [raw, fixed, text] = [cut(raw), cut(fixed), cut(text)];
  }
  const pr = /#(\d+)\b/.exec(text);
  return { clause, text, raw, fixed, repo, prNumber: pr ? Number(pr[1]) : null, ctx };
}

/** Tools that carry no words of the person's own, so "#5 and #6" can only mean both pull requests. */
const REPEATABLE: ReadonlySet<string> = new Set([
  'pullRequest.merge', 'pullRequest.mergeWhenGreen', 'pullRequest.cancelAutoMerge', 'pullRequest.approve', 'pullRequest.unapprove',
  'pullRequest.requestChanges', 'pullRequest.decline', 'pullRequest.status', 'pullRequest.addReviewers', 'pipeline.rerunFailed',
]);

function toIntentResult(clause: Clause, ctx: PlannerContext): IntentResult | null {
  const input = toClauseInput(clause, ctx);
  const intent = INTENTS.find((i) => i.matches(input));
  if (!intent) return null;
  const result = intent.build(input);
  // "merge #5 and #6": the same action on each pull request named.
  const others = [...new Set([...input.text.matchAll(/#(\d+)\b/g)].map((m) => Number(m[1])))].slice(1);
  if (result.kind !== 'steps' || others.length === 0 || input.prNumber === null || !result.steps.every((s) => REPEATABLE.has(s.tool))) return result;
  const first = input.prNumber;
  const isOnFirst = (step: PlanStep) => (step.input as { pullRequestId?: unknown }).pullRequestId === first;
  if (!result.steps.every(isOnFirst)) return result;
  const steps = [first, ...others].flatMap((id) => result.steps.map((step) => ({ tool: step.tool, input: { ...(step.input as object), pullRequestId: id } })));
  return { kind: 'steps', summary: [first, ...others].map((id) => result.summary.replace(`#${first}`, `#${id}`)).join(', '), steps };
}

const HELP = /^(?:help|help me|what can you do|what do you do|what can bosun do|how does this work|commands|examples?|options|usage|\?)$/;

/** The first problem with a step's input, checked with the tool's own zod schema. */
function toInputProblem(step: PlanStep, ctx: PlannerContext): string | null {
  const tool = ctx.tools.get(step.tool);
  if (!tool) return `Bosun cannot ${step.tool} here (the tool is not available).`;
  const parsed = tool.input.safeParse(step.input);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return `${step.tool}: ${issue?.path.join('.') || 'input'} ${issue?.message ?? 'is not valid'}`;
}

function toHelp(text: string, ctx: PlannerContext, detail?: string): PlanOutcome {
  const examples = toNaturalLanguageExamples(ctx);
  return {
    error: `${detail ?? `Bosun did not understand "${text.trim()}".`} Bosun can review, merge, comment on and edit pull requests, run pipelines, and manage branches and repositories; for example: ${examples.slice(0, 4).join(' · ')}`,
    suggestions: examples,
  };
}

/**
 * A deterministic planner: an intent and slot matcher over the tool catalog. It reads synonyms,
 * typos, polite noise, several actions in one request and implicit objects ("this PR", "the source
 * branch"); asks back when a request is ambiguous; and says what it can do, with the page's real
 * numbers and names, when it cannot help. No model, no network, the same text always gives the same answer.
 */
export function createNaturalLanguagePlanner(): Planner {
  return {
    async plan(text, ctx): Promise<PlanOutcome> {
      return planNaturalLanguage(text, ctx);
    },
  };
}

/** The synchronous core of the natural-language planner (pure; sub-millisecond per request). */
export function planNaturalLanguage(text: string, ctx: PlannerContext): PlanOutcome {
  const clauses = toClauses(text);
  if (clauses.length === 0) return toHelp(text, ctx, 'Tell Bosun what to do.');
  const allSteps: PlanStep[] = [];
  const summaries: string[] = [];
  if (clauses.length === 1 && HELP.test((clauses[0] as Clause).text)) return toHelp(text, ctx, 'Here is what Bosun can do.');
  for (const [index, clause] of clauses.entries()) {
    const result = toIntentResult(clause, ctx);
    if (result === null) {
      return clauses.length === 1 ? toHelp(text, ctx) : toHelp(text, ctx, `Bosun did not understand "${clause.raw}"${summaries.length > 0 ? ` (it understood: ${summaries.join(', then ')})` : ''}.`);
    }
    if (result.kind === 'error') {
      if (result.message === NEED_REPO) return { error: result.message, suggestions: [`${text.trim()} in repo <name>`] };
      return { error: result.message, suggestions: toNaturalLanguageExamples(ctx) };
    }
    if (result.kind === 'clarify') {
      const others = (choice: string) => clauses.map((c, i) => (i === index ? choice : c.raw)).join(', ');
      return { clarification: { question: result.question, choices: result.choices.map((c) => ({ label: c.label, text: others(c.clause) })) } };
    }
    for (const step of result.steps) {
      const problem = toInputProblem(step, ctx);
      if (problem) return { error: `Bosun understood "${clause.raw}" but cannot plan it: ${problem}.`, suggestions: toNaturalLanguageExamples(ctx) };
      if (!allSteps.some((s) => s.tool === step.tool && JSON.stringify(s.input) === JSON.stringify(step.input))) allSteps.push(step);
    }
    if (!summaries.includes(result.summary)) summaries.push(result.summary);
  }
  const plan: Plan = { summary: summaries.join(', then '), steps: allSteps, source: 'natural-language' };
  return plan;
}
