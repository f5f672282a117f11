import type { MergeStrategy } from '../../bitbucket';

export type BosunCommand =
  | { name: 'help' }
  | { name: 'merge'; strategy?: MergeStrategy }
  | { name: 'mergeWhenGreen'; strategy?: MergeStrategy }
  | { name: 'cancel' }
  | { name: 'status' }
  | { name: 'approve' }
  | { name: 'unapprove' }
  | { name: 'requestChanges' }
  | { name: 'decline' }
  | { name: 'requestReviewers'; reviewers: string[] }
  | { name: 'rename'; title: string }
  | { name: 'draft' }
  | { name: 'ready' }
  | { name: 'retarget'; destination: string }
  | { name: 'runPipeline'; pipeline?: string; variables?: Array<{ key: string; value: string }> }
  | { name: 'stopPipeline'; pipeline: number }
  | { name: 'deleteSourceBranch' }
  | { name: 'rerunFailedPipeline' }
  | { name: 'rerunPipeline'; pipeline: number }
  | { name: 'builds' }
  | { name: 'openPullRequest'; source: string; destination: string; title?: string }
  | { name: 'drift' }
  | { name: 'applyTemplate'; template: string; confirmed: boolean }
  | { name: 'queue'; lane?: string }
  | { name: 'queueStatus' }
  | { name: 'dequeue' }
  | { name: 'rules'; run: boolean }
  | { name: 'ask'; text: string };

export type BosunCommandName = BosunCommand['name'];

export interface CommandSpec {
  name: BosunCommandName;
  usage: string;
  description: string;
}

export const COMMAND_SPECS: readonly CommandSpec[] = [
  { name: 'help', usage: '/bosun help', description: 'List the commands' },
  { name: 'merge', usage: '/bosun merge [merge_commit|squash|fast_forward]', description: 'Merge this pull request now' },
  { name: 'mergeWhenGreen', usage: '/bosun merge when green [strategy]', description: 'Merge once builds pass and merge checks are met' },
  { name: 'cancel', usage: '/bosun cancel', description: 'Cancel a pending merge when green' },
  { name: 'status', usage: '/bosun status', description: 'Say whether this pull request can be merged' },
  { name: 'approve', usage: '/bosun approve', description: 'Approve as yourself' },
  { name: 'unapprove', usage: '/bosun unapprove', description: 'Remove your approval' },
  { name: 'requestChanges', usage: '/bosun request changes', description: 'Request changes as yourself' },
  { name: 'requestReviewers', usage: '/bosun request reviewers @alice @bob', description: 'Add reviewers' },
  { name: 'decline', usage: '/bosun decline', description: 'Decline (close) this pull request' },
  { name: 'rename', usage: '/bosun rename "New title"', description: 'Change the title' },
  { name: 'draft', usage: '/bosun draft', description: 'Mark as a draft' },
  { name: 'ready', usage: '/bosun ready', description: 'Mark ready for review' },
  { name: 'retarget', usage: '/bosun retarget <branch>', description: 'Change the destination branch' },
  { name: 'rerunFailedPipeline', usage: '/bosun rerun failed pipeline', description: "Run the source branch's last failed pipeline again" },
  { name: 'rerunPipeline', usage: '/bosun rerun <build number>', description: 'Run one pipeline again (same branch, commit and pipeline)' },
  { name: 'builds', usage: '/bosun builds', description: "List the recent Pipelines runs of the source branch" },
  { name: 'runPipeline', usage: '/bosun run pipeline [custom-pipeline] [KEY=value …]', description: "Run the source branch's pipeline, or a custom one, with variables" },
  { name: 'stopPipeline', usage: '/bosun stop pipeline <build number>', description: 'Stop a running pipeline' },
  { name: 'deleteSourceBranch', usage: '/bosun delete source branch', description: 'Delete the source branch (the main branch never)' },
  { name: 'openPullRequest', usage: '/bosun open pr from <source> to <destination> ["title"]', description: 'Open a pull request' },
  { name: 'drift', usage: '/bosun drift', description: "Say whether this repository differs from its repository template, and what differs" },
  { name: 'applyTemplate', usage: '/bosun apply-template <name> [confirm]', description: 'Show what a repository template would change here; with confirm, apply it' },
  { name: 'queue', usage: '/bosun queue [lane]', description: "Add this pull request to its branch's merge queue (tested with the PRs ahead, merged when green)" },
  { name: 'queueStatus', usage: '/bosun queue status', description: "Say where this pull request is in its merge queue, and how the queue merges (strategy, source branch)" },
  { name: 'dequeue', usage: '/bosun dequeue', description: 'Take this pull request out of the merge queue' },
  { name: 'rules', usage: '/bosun rules [run]', description: 'Show what the automation rules would do here; with run, run them now (rules in dry run only record)' },
  { name: 'ask', usage: '/bosun ask <request in your own words>', description: 'Ask in plain words' },
];

export function getCommandSpec(name: BosunCommandName): CommandSpec {
  return COMMAND_SPECS.find((s) => s.name === name) as CommandSpec;
}

export type ParsedCommand =
  | { ok: true; command: BosunCommand; spec: CommandSpec }
  | { ok: false; error: string; suggestions: string[]; reply: string };

const STRATEGY_ALIASES: Record<string, MergeStrategy> = {
  merge_commit: 'merge_commit',
  'merge-commit': 'merge_commit',
  merge: 'merge_commit',
  squash: 'squash',
  fast_forward: 'fast_forward',
  'fast-forward': 'fast_forward',
  ff: 'fast_forward',
  squash_fast_forward: 'squash_fast_forward',
  rebase_fast_forward: 'rebase_fast_forward',
  rebase_merge: 'rebase_merge',
};

/** policies' templateNameSchema, without importing policies into the parser. */
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const BRANCH = /^(?!\/)(?!.*\/\/)(?!.*\.\.)[^\s~^:?*[\\]+(?<![/.])$/;

/** The help text: every command with its usage. */
export function toHelpText(): string {
  return ['Bosun commands:', ...COMMAND_SPECS.map((s) => `- \`${s.usage}\`: ${s.description}`)].join('\n');
}

/** Splits on spaces, keeping "double quoted" or “curly quoted” runs together. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
  return tokens;
}

function fail(error: string, suggestions: string[] = COMMAND_SPECS.map((s) => s.usage)): ParsedCommand {
  return { ok: false, error, suggestions, reply: `${error}\n\n${toHelpText()}` };
}

function ok(command: BosunCommand): ParsedCommand {
  return { ok: true, command, spec: getCommandSpec(command.name) };
}

function toStrategy(token: string | undefined): MergeStrategy | undefined | null {
  if (token === undefined) return undefined;
  return STRATEGY_ALIASES[token.toLowerCase()] ?? null;
}

/**
 * Reads a PR comment. Returns null when the comment is not a command (does not start with
 * `/bosun`), else the command or a structured error whose `reply` lists what is valid.
 * Only the first line counts; the rest of the comment is free for people.
 */
export function parseCommand(commentRaw: string): ParsedCommand | null {
  const firstLine = commentRaw.trimStart().split(/\r?\n/, 1)[0] ?? '';
  const match = /^\/bosun(?:\s+(.*))?$/i.exec(firstLine.trimEnd());
  if (!match) return null;
  const rest = (match[1] ?? '').trim();
  if (rest === '') return fail('Tell Bosun what to do.');
  const tokens = tokenize(rest);
  const words = tokens.map((t) => t.toLowerCase());
  const [verb, ...args] = words;

  switch (verb) {
    case 'help':
      return args.length === 0 ? ok({ name: 'help' }) : fail('`/bosun help` takes no arguments.');
    case 'status':
      return args.length === 0 ? ok({ name: 'status' }) : fail('`/bosun status` takes no arguments.');
    case 'cancel':
      return args.length === 0 ? ok({ name: 'cancel' }) : fail('`/bosun cancel` takes no arguments.', [getCommandSpec('cancel').usage]);
    case 'approve':
      return args.length === 0 ? ok({ name: 'approve' }) : fail('`/bosun approve` takes no arguments.', [getCommandSpec('approve').usage]);
    case 'unapprove':
      return args.length === 0 ? ok({ name: 'unapprove' }) : fail('`/bosun unapprove` takes no arguments.', [getCommandSpec('unapprove').usage]);
    case 'decline':
    case 'close':
      return args.length === 0 ? ok({ name: 'decline' }) : fail(`\`/bosun ${verb}\` takes no arguments.`, [getCommandSpec('decline').usage]);
    case 'draft':
      return args.length === 0 ? ok({ name: 'draft' }) : fail('`/bosun draft` takes no arguments.', [getCommandSpec('draft').usage]);
    case 'ready':
      return args.length === 0 || (args.join(' ') === 'for review') ? ok({ name: 'ready' }) : fail('`/bosun ready` takes no arguments.', [getCommandSpec('ready').usage]);
    case 'rename':
    case 'title': {
      const title = tokens.slice(1).join(' ').trim().replace(/^(?:to|as)\s+/i, '');
      if (title === '') return fail('Give the new title, like `/bosun rename "Add login"`.', [getCommandSpec('rename').usage]);
      if (title.length > 255) return fail('The title is longer than 255 characters.', [getCommandSpec('rename').usage]);
      return ok({ name: 'rename', title });
    }
    case 'retarget': {
      const destination = tokens[tokens[1]?.toLowerCase() === 'to' || tokens[1]?.toLowerCase() === 'onto' ? 2 : 1];
      if (destination === undefined || tokens.length > (tokens[1]?.toLowerCase() === 'to' || tokens[1]?.toLowerCase() === 'onto' ? 3 : 2)) {
        return fail('Name one branch, like `/bosun retarget develop`.', [getCommandSpec('retarget').usage]);
      }
      if (!BRANCH.test(destination)) return fail(`Not a valid branch name: ${destination}.`, [getCommandSpec('retarget').usage]);
      return ok({ name: 'retarget', destination });
    }
    case 'run': {
      const usage = [getCommandSpec('runPipeline').usage];
      if (args[0] !== 'pipeline') return fail('Did you mean `/bosun run pipeline`?', usage);
      // After the pipeline's name, KEY=value words are its variables (keys as written).
      const rest = tokens.slice(2);
      const variables = rest.flatMap((t) => {
        const m = /^([A-Za-z_][A-Za-z0-9_]{0,254})=(.{0,10000})$/s.exec(t);
        return m ? [{ key: m[1] ?? '', value: m[2] ?? '' }] : [];
      });
      const names = rest.filter((t) => !/^[A-Za-z_][A-Za-z0-9_]{0,254}=/.test(t));
      if (names.length > 1 || variables.length > 50) return fail('Name at most one custom pipeline, then its variables as KEY=value.', usage);
      const pipeline = names[0];
      if (pipeline !== undefined && !/^[\w.:/-]{1,255}$/.test(pipeline)) return fail(`Not a pipeline name: ${pipeline}.`, usage);
      return ok({ name: 'runPipeline', ...(pipeline !== undefined ? { pipeline } : {}), ...(variables.length ? { variables } : {}) });
    }
    case 'stop': {
      const numbered = args[0] === 'pipeline' || args[0] === 'build' ? args.slice(1) : args;
      const n = /^#?(\d+)$/.exec(numbered[0] ?? '');
      if (!n || numbered.length > 1) return fail('Write it as `/bosun stop pipeline <build number>` (or `/bosun stop <build number>`).', [getCommandSpec('stopPipeline').usage]);
      return ok({ name: 'stopPipeline', pipeline: Number(n[1]) });
    }
    case 'builds':
    case 'pipelines':
      return args.length === 0 ? ok({ name: 'builds' }) : fail(`\`/bosun ${verb}\` takes no arguments.`, [getCommandSpec('builds').usage]);
    case 'delete': {
      if (args.join(' ') !== 'source branch') return fail('Did you mean `/bosun delete source branch`?', [getCommandSpec('deleteSourceBranch').usage]);
      return ok({ name: 'deleteSourceBranch' });
    }
    case 'merge': {
      if (args[0] === 'when' || args[0] === 'when-green' || args[0] === 'once') {
        const afterWhen = args[0] === 'when-green' ? args.slice(1) : args[1] === 'green' ? args.slice(2) : null;
        if (afterWhen === null || afterWhen.length > 1) {
          return fail('Did you mean `/bosun merge when green`?', [getCommandSpec('mergeWhenGreen').usage]);
        }
        const strategy = toStrategy(afterWhen[0]);
        if (strategy === null) return fail(`Unknown merge strategy "${afterWhen[0]}".`, strategySuggestions('merge when green'));
        return ok(strategy ? { name: 'mergeWhenGreen', strategy } : { name: 'mergeWhenGreen' });
      }
      if (args.length > 1) return fail('`/bosun merge` takes at most a merge strategy.', strategySuggestions('merge'));
      const strategy = toStrategy(args[0]);
      if (strategy === null) return fail(`Unknown merge strategy "${args[0]}".`, strategySuggestions('merge'));
      return ok(strategy ? { name: 'merge', strategy } : { name: 'merge' });
    }
    case 'request': {
      if (args[0] === 'changes' || args[0] === 'change') {
        return args.length === 1 ? ok({ name: 'requestChanges' }) : fail('`/bosun request changes` takes no arguments.', [getCommandSpec('requestChanges').usage]);
      }
      if (args[0] !== 'reviewers' && args[0] !== 'reviewer' && args[0] !== 'review') {
        return fail('Did you mean `/bosun request reviewers @name` or `/bosun request changes`?', [getCommandSpec('requestReviewers').usage, getCommandSpec('requestChanges').usage]);
      }
      const people = tokens.slice(2).filter((t) => t.toLowerCase() !== 'from');
      const malformed = people.filter((p) => !/^@[\w.{}:-]+$/.test(p));
      if (people.length === 0 || malformed.length > 0) {
        return fail(
          people.length === 0 ? 'Name at least one reviewer, like @alice.' : `Reviewers are written @name; not understood: ${malformed.join(' ')}.`,
          [getCommandSpec('requestReviewers').usage],
        );
      }
      return ok({ name: 'requestReviewers', reviewers: [...new Set(people.map((p) => p.slice(1)))] });
    }
    case 'rerun':
    case 'retry': {
      const phrase = args.join(' ');
      const numbered = /^(?:(?:pipeline|build)\s+)?#?(\d+)$/.exec(phrase);
      if (numbered) return ok({ name: 'rerunPipeline', pipeline: Number(numbered[1]) });
      if (phrase === '' || ['failed pipeline', 'failed', 'pipeline', 'failed build', 'the failed pipeline'].includes(phrase)) return ok({ name: 'rerunFailedPipeline' });
      return fail('Did you mean `/bosun rerun failed pipeline` or `/bosun rerun <build number>`?', [getCommandSpec('rerunFailedPipeline').usage, getCommandSpec('rerunPipeline').usage]);
    }
    case 'open': {
      // open pr from X to Y ["title"]
      const t = tokens.slice(1);
      const lower = t.map((x) => x.toLowerCase());
      const shapeOk =
        (lower[0] === 'pr' || lower[0] === 'pull-request') && lower[1] === 'from' && (lower[3] === 'to' || lower[3] === 'into') && t.length >= 5 && t.length <= 6;
      if (!shapeOk) return fail('Write it as `/bosun open pr from <source> to <destination> "title"`.', [getCommandSpec('openPullRequest').usage]);
      const [source, destination, title] = [t[2] as string, t[4] as string, t[5]];
      const bad = [source, destination].filter((b) => !BRANCH.test(b));
      if (bad.length > 0) return fail(`Not a valid branch name: ${bad.join(', ')}.`, [getCommandSpec('openPullRequest').usage]);
      if (title !== undefined && title.trim() === '') return fail('The title is empty.', [getCommandSpec('openPullRequest').usage]);
      return ok(title !== undefined ? { name: 'openPullRequest', source, destination, title } : { name: 'openPullRequest', source, destination });
    }
    case 'rules':
    case 'automation': {
      const phrase = args.join(' ');
      if (phrase === '' || phrase === 'preview') return ok({ name: 'rules', run: false });
      if (phrase === 'run' || phrase === 'run now' || phrase === 'now') return ok({ name: 'rules', run: true });
      return fail('Write it as `/bosun rules` (what they would do) or `/bosun rules run`.', [getCommandSpec('rules').usage]);
    }
    case 'drift':
      return args.length === 0 ? ok({ name: 'drift' }) : fail('`/bosun drift` takes no arguments.', [getCommandSpec('drift').usage]);
    case 'apply':
    case 'apply-template': {
      // `/bosun apply-template <name> [confirm]`, or `/bosun apply template <name> [confirm]`.
      const parts = verb === 'apply' ? (args[0] === 'template' ? args.slice(1) : null) : args;
      const usage = [getCommandSpec('applyTemplate').usage];
      if (parts === null) return fail('Did you mean `/bosun apply-template <name>`?', usage);
      const [name, confirm, ...extra] = parts;
      if (name === undefined || extra.length > 0 || (confirm !== undefined && confirm !== 'confirm' && confirm !== 'yes')) {
        return fail('Write it as `/bosun apply-template <name>`, then `/bosun apply-template <name> confirm` to apply.', usage);
      }
      if (!TEMPLATE_NAME.test(name)) return fail(`Not a template name: ${name} (lower-case letters, digits and -).`, usage);
      return ok({ name: 'applyTemplate', template: name, confirmed: confirm !== undefined });
    }
    case 'queue':
    case 'enqueue': {
      if (args.length > 1) return fail('`/bosun queue` takes at most a lane, like `/bosun queue hotfix`.', [getCommandSpec('queue').usage]);
      // "status" is read, never a lane: `/bosun queue status` must not queue the PR.
      if (verb === 'queue' && tokens[1]?.toLowerCase() === 'status') return ok({ name: 'queueStatus' });
      const lane = tokens[1];
      if (lane !== undefined && !/^[\w.-]{1,64}$/.test(lane)) return fail(`Not a lane name: ${lane}.`, [getCommandSpec('queue').usage]);
      return ok(lane !== undefined ? { name: 'queue', lane } : { name: 'queue' });
    }
    case 'dequeue':
    case 'unqueue':
      return args.length === 0 ? ok({ name: 'dequeue' }) : fail(`\`/bosun ${verb}\` takes no arguments.`, [getCommandSpec('dequeue').usage]);
    case 'ask': {
      const text = rest.replace(/^ask\s*/i, '').trim();
      return text ? ok({ name: 'ask', text }) : fail('Say what you want after `/bosun ask`.', [getCommandSpec('ask').usage]);
    }
    default:
      return fail(`Bosun does not know "${tokens[0]}".`);
  }
}

function strategySuggestions(prefix: string): string[] {
  return ['merge_commit', 'squash', 'fast_forward'].map((s) => `/bosun ${prefix} ${s}`);
}
