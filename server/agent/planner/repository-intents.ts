import type { PlanStep } from '../executor/plan';
import type { Intent, IntentInput, IntentResult } from './intents';

/**
 * Intents for managing repositories rather than pull requests: branch restrictions, default
 * reviewers, repository templates, drift and branch hygiene. They come first in the intent list,
 * so each matcher is narrow: words a pull request request would not use.
 */

const NEED_REPO = 'Which repository? Add "in repo <name>" to the request.';
const steps = (summary: string, list: PlanStep[]): IntentResult => ({ kind: 'steps', summary, steps: list });
const error = (message: string): IntentResult => ({ kind: 'error', message });

const NUMBERS: Record<string, number> = { one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
const toCount = (word: string | undefined): number | null => (word === undefined ? null : /^\d+$/.test(word) ? Number(word) : (NUMBERS[word] ?? null));

/** "on main", "for release/*", "to the develop branch": the branch or glob a rule is for. */
function toPattern(input: IntentInput): string | null {
  const skip = new Set(['this', 'it', 'repo', 'repository', 'merge', 'merging', 'pull', 'prs', 'every', 'all', 'be']);
  for (const m of `${input.fixed} `.matchAll(/\b(?:on|for|to|into|of)\s+(?:the\s+)?(?:branch\s+)?([\w./*-]+?)(?:\s+branch(?:es)?)?(?=\s|$|[,.;!?])/gi)) {
    const word = m[1];
    if (word && !skip.has(word.toLowerCase())) return word;
  }
  return null;
}

const hasTool = (input: IntentInput, tool: string) => input.ctx.tools.get(tool) !== undefined;

/** `template <name>`, `<name> template`, `the service template`. */
function toTemplateName(input: IntentInput): string | null {
  const skip = new Set(['the', 'a', 'this', 'from', 'repository', 'repo', 'our', 'its', 'their', 'apply', 'preview', 'to', 'on', 'for', 'using', 'with', 'change']);
  for (const re of [/\btemplate\s+"?([a-z0-9][a-z0-9-]*)"?/i, /"?([a-z0-9][a-z0-9-]*)"?\s+template\b/i]) {
    const name = re.exec(input.fixed)?.[1]?.toLowerCase();
    if (name && !skip.has(name)) return name;
  }
  return null;
}

/** Slugs after "to"/"on": "to api and web", "on repos api, web". */
function toRepoList(input: IntentInput, markers: string): string[] {
  const m = new RegExp(`\\b(?:${markers})\\s+(?:the\\s+)?(?:repos?|repositories)?\\s*([\\w.,\\s-]+?)(?:\\s+(?:with|using|from)\\b|$)`, 'i').exec(input.fixed);
  if (!m?.[1]) return [];
  return m[1]
    .split(/\s*(?:,|\band\b|&)\s*/i)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => /^[a-z0-9][a-z0-9._-]*$/.test(s) && !['template', 'the', 'all', 'every', 'them'].includes(s));
}

const RESTRICTIONS: Array<{ re: RegExp; kind: string; value?: (m: RegExpExecArray) => number | null; label: string }> = [
  {
    re: /\brequire[sd]?\s+(?:at least\s+)?(\d+|one|two|three|four|five|six|an?)\s+(?:approvals?|approvers?|reviews?)\b|\b(\d+|one|two|three|four|five|six)\s+approvals?\s+(?:required|needed|to merge)\b/,
    kind: 'require_approvals_to_merge',
    value: (m) => toCount(m[1] ?? m[2]),
    label: 'approvals',
  },
  { re: /\brequire[sd]?\s+(?:a\s+)?(?:passing|green|successful)\s+(?:builds?|ci|checks?|pipelines?)\b/, kind: 'require_passing_builds_to_merge', value: () => 1, label: 'passing builds' },
  { re: /\b(?:prevent|block|forbid|disallow|no|stop)\s+(?:the\s+)?(?:deletion|deleting|deletes?)\b|\bprotect\b.*\bfrom\s+(?:deletion|being deleted)\b/, kind: 'delete', label: 'no deletion' },
  { re: /\b(?:prevent|block|forbid|disallow|no|stop)\s+(?:the\s+)?force[ -]?push(?:es|ing)?\b/, kind: 'force', label: 'no force pushes' },
  { re: /\brequire[sd]?\s+(?:all\s+)?tasks?\s+(?:to be\s+)?(?:done|completed?|resolved)\b/, kind: 'require_tasks_to_be_completed', label: 'tasks completed' },
];

export const REPOSITORY_INTENTS: readonly Intent[] = [
  {
    tool: 'branchRestriction.ensure',
    matches: ({ text }) => RESTRICTIONS.some((r) => r.re.test(text)) && !/#\d+/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const rule = RESTRICTIONS.find((r) => r.re.test(input.text))!;
      const m = rule.re.exec(input.text)!;
      const value = rule.value ? rule.value(m) : undefined;
      if (value === null) return error('How many approvals? Say "require 2 approvals on main".');
      const pattern = toPattern(input);
      if (!pattern) {
        return {
          kind: 'clarify',
          question: 'On which branch?',
          choices: ['main', 'master', 'develop'].map((b) => ({ label: b, clause: `${input.raw.trim()} on ${b}` })),
        };
      }
      return steps(`Require ${value !== undefined ? `${value} ` : ''}${rule.label} on ${pattern}`, [
        { tool: 'branchRestriction.ensure', input: { ...input.repo, kind: rule.kind, pattern, ...(value !== undefined ? { value } : {}) } },
      ]);
    },
  },
  {
    tool: 'defaultReviewer.add',
    matches: ({ text }) => /\bdefault[ -]?reviewers?\b/.test(text) && /^(?:make|add|set|put|have|let)\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const cleaned = input.fixed
        .replace(/\b(?:make|add|set|put|have|let|as|an?|the|default[ -]?reviewers?|reviewers?|of|for|to|on|this|repo|repository|please|pls|be|always)\b/gi, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      const users = cleaned
        .split(/\s*(?:,|\band\b|&)\s*/i)
        .map((s) => s.trim().replace(/[.!?]+$/, ''))
        .filter((s) => s !== '');
      if (users.length === 0) return error('Who should be a default reviewer? Say "make @carol a default reviewer".');
      return steps(`Make ${users.join(', ')} default reviewer${users.length === 1 ? '' : 's'}`, [{ tool: 'defaultReviewer.add', input: { ...input.repo, users } }]);
    },
  },
  {
    tool: 'repository.createFromTemplate',
    matches: (input) =>
      hasTool(input, 'repository.createFromTemplate') && /^(?:create|make|new|set up|setup|start)\b.*\b(?:repo|repository)\b/.test(input.text) && /\btemplate\b/.test(input.text),
    build: (input) => {
      const raw = input.raw.replace(/\btemplate\s+\S+/i, '');
      const slug = (/\b(?:named|called)\s+"?([a-z0-9][\w.-]*)"?/i.exec(raw) ?? /\b(?:repo|repository)\s+"?([a-z0-9][\w.-]*)"?/i.exec(raw))?.[1]?.toLowerCase();
      const template = toTemplateName(input);
      const workspace = input.ctx.repo?.workspace ?? input.ctx.tenant.workspace;
      if (!slug || ['named', 'called', 'from', 'with', 'using'].includes(slug)) return { kind: 'clarify', question: 'What should the new repository be called? Say "create a repo named <slug> from template <name>".', choices: [] };
      if (!template) return error('Which template? Say "create a repo named <slug> from template <name>".');
      return steps(`Create ${slug} from template ${template}`, [{ tool: 'repository.createFromTemplate', input: { workspace, repo: slug, template } }]);
    },
  },
  {
    tool: 'repository.previewTemplate',
    matches: (input) => hasTool(input, 'repository.previewTemplate') && /\btemplate\b/.test(input.text) && /^(?:preview|what would|what does|show what|dry[ -]?run)\b/.test(input.text),
    build: (input) => {
      const template = toTemplateName(input);
      if (!template) return error('Which template? Say "preview template <name> on api and web".');
      const repos = toRepoList(input, 'on|to|for|against');
      const list = repos.length > 0 ? repos : input.repo ? [input.repo.repo] : [];
      if (list.length === 0) return error(NEED_REPO);
      return steps(`Preview template ${template} on ${list.join(', ')}`, [
        { tool: 'repository.previewTemplate', input: { workspace: input.repo?.workspace ?? input.ctx.tenant.workspace, repos: list, template } },
      ]);
    },
  },
  {
    tool: 'repository.applyTemplate',
    matches: (input) => hasTool(input, 'repository.applyTemplate') && /\btemplate\b/.test(input.text) && /^(?:apply|use|enforce|fix|sync|bring)\b/.test(input.text),
    build: (input) => {
      const template = toTemplateName(input);
      if (!template) return error('Which template? Say "apply template <name> to api".');
      const repos = toRepoList(input, 'to|on|for');
      const list = repos.length > 0 ? repos : input.repo ? [input.repo.repo] : [];
      if (list.length === 0) return error(NEED_REPO);
      const workspace = input.repo?.workspace ?? input.ctx.tenant.workspace;
      return steps(`Apply template ${template} to ${list.join(', ')}`, list.map((repo) => ({ tool: 'repository.applyTemplate', input: { workspace, repo, template } })));
    },
  },
  {
    tool: 'repository.checkDrift',
    matches: (input) => hasTool(input, 'repository.checkDrift') && /\bdrift(?:s|ed|ing)?\b|\b(?:differ|out of sync)\b.*\btemplates?\b|\btemplates?\b.*\b(?:differ|out of sync)\b/.test(input.text),
    build: (input) => steps('Check repositories against their templates', [{ tool: 'repository.checkDrift', input: { workspace: input.repo?.workspace ?? input.ctx.tenant.workspace } }]),
  },
  {
    tool: 'branch.deleteMany',
    matches: ({ text }) => /^(?:delete|remove|drop|prune)\s+(?:the\s+)?branches\s+(?!that\b|which\b|older\b|merged\b|stale\b)\S+.*(?:,|\band\b)/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const rest = /\bbranches\s+(.+)$/i.exec(input.fixed)?.[1] ?? '';
      const names = rest
        .split(/\s*(?:,|\band\b|&)\s*/i)
        .map((s) => s.trim().replace(/^"|"$/g, ''))
        .filter((s) => /^[^\s~^:?*[\\]+$/.test(s));
      if (names.length === 0) return error('Which branches? Say "delete branches a, b and c".');
      return steps(`Delete branches ${names.join(', ')}`, [{ tool: 'branch.deleteMany', input: { ...input.repo, names } }]);
    },
  },
  {
    tool: 'branch.listStale',
    matches: ({ text }) =>
      /\b(?:stale|old|merged|dead|unused|abandoned|leftover|obsolete)\s+branches\b|\bbranches\s+(?:that\s+are\s+|which\s+are\s+)?(?:stale|merged|old|unused|older\s+th[ae]n)\b|^(?:clean ?up|tidy|tidy up|prune)\s+(?:the\s+)?branches\b|\bbranch hygiene\b/.test(text),
    build: (input) => {
      if (!input.repo) return error(NEED_REPO);
      const days = /\b(\d+)\s*(?:days?|d)\b/.exec(input.text)?.[1];
      const months = /\b(\d+)\s*months?\b/.exec(input.text)?.[1];
      const staleDays = days ? Number(days) : months ? Number(months) * 30 : undefined;
      return steps('List merged and stale branches', [{ tool: 'branch.listStale', input: { ...input.repo, ...(staleDays ? { staleDays } : {}) } }]);
    },
  },
];
