import type { Plan, PlanStep } from '../executor/plan';
import { getCommandSpec, parseCommand, toHelpText, type BosunCommand } from './parse-command';

/** The key of Bosun's one comment per PR (the comment handler's sticky reply uses the same). */
export const BOSUN_STICKY_KEY = 'bosun';
import { isPlanningError, toRepoInput, type Planner, type PlannerContext, type PlanOutcome } from './planner';

export interface CommandPlannerOptions {
  /** Plans `/bosun ask …` (the natural-language planner, optionally chained with an LLM one). */
  ask?: Planner;
}

/** Plans `/bosun …` PR comment commands. The comment's repository and PR come from the context. */
export function createCommandPlanner(options: CommandPlannerOptions = {}): Planner {
  return {
    async plan(text, ctx) {
      const parsed = parseCommand(text);
      if (parsed === null) return { error: 'This is not a /bosun command.', suggestions: [toHelpText()] };
      if (!parsed.ok) return { error: parsed.reply, suggestions: parsed.suggestions };
      const { command } = parsed;
      if (command.name === 'ask') {
        if (!options.ask) return { error: 'Free-text requests are not enabled here; use one of the commands.', suggestions: [toHelpText()] };
        const outcome = await options.ask.plan(command.text, ctx);
        // In a comment, what to try is a command to paste.
        return isPlanningError(outcome) ? { error: outcome.error, suggestions: outcome.suggestions.map((s) => (s.startsWith('/bosun') ? s : `/bosun ask ${s}`)) } : outcome;
      }
      return toCommandPlan(command, ctx);
    },
  };
}

function toCommandPlan(command: Exclude<BosunCommand, { name: 'ask' }>, ctx: PlannerContext): PlanOutcome {
  const repo = toRepoInput(ctx.repo);
  if (!repo) return { error: 'Commands work in a pull request comment; Bosun could not tell which repository this is.', suggestions: [] };
  const usage = getCommandSpec(command.name).usage;
  const pr = ctx.pullRequestId;
  const onPr = (): { repo: string; workspace: string; pullRequestId: number } | null => (pr === undefined ? null : { ...repo, pullRequestId: pr });
  const plan = (summary: string, steps: PlanStep[]): Plan => ({ summary, steps, source: 'command' });
  const needPr = { error: `\`${usage}\` works in a pull request comment.`, suggestions: [usage] };

  switch (command.name) {
    case 'drift':
      return plan(`Check whether ${repo.repo} differs from its repository template`, [{ tool: 'repository.checkDrift', input: { workspace: repo.workspace, repos: [repo.repo] } }]);
    case 'applyTemplate':
      // The typed `confirm` is the confirmation: without it, only the preview runs (it reads, changes nothing).
      return command.confirmed
        ? plan(`Apply template ${command.template} to ${repo.repo}`, [{ tool: 'repository.applyTemplate', input: { ...repo, template: command.template } }])
        : plan(`Preview template ${command.template} on ${repo.repo}`, [
            { tool: 'repository.previewTemplate', input: { workspace: repo.workspace, repos: [repo.repo], template: command.template, confirmWith: `/bosun apply-template ${command.template} confirm` } },
          ]);
    case 'openPullRequest':
      return plan(`Open a pull request from ${command.source} to ${command.destination}`, [
        {
          tool: 'pullRequest.open',
          input: { ...repo, source: command.source, destination: command.destination, title: command.title ?? `Merge ${command.source} into ${command.destination}` },
        },
      ]);
    default:
      break;
  }
  const target = onPr();
  if (!target) return needPr;
  switch (command.name) {
    case 'help':
      // In the sticky comment: asking for help twice edits one comment instead of adding another.
      return plan('Reply with the list of commands', [{ tool: 'pullRequest.comment', input: { ...target, body: toHelpText(), stickyKey: BOSUN_STICKY_KEY } }]);
    case 'status':
      return plan(`Check whether #${target.pullRequestId} can be merged`, [{ tool: 'pullRequest.status', input: target }]);
    case 'merge':
      return plan(`Merge #${target.pullRequestId}${command.strategy ? ` (${command.strategy})` : ''}`, [
        { tool: 'pullRequest.merge', input: { ...target, ...(command.strategy ? { strategy: command.strategy } : {}) } },
      ]);
    case 'mergeWhenGreen':
      return plan(`Merge #${target.pullRequestId} when its builds pass`, [
        { tool: 'pullRequest.mergeWhenGreen', input: { ...target, ...(command.strategy ? { strategy: command.strategy } : {}) } },
      ]);
    case 'queue':
      return plan(`Queue #${target.pullRequestId} for merging${command.lane ? ` (${command.lane} lane)` : ''}`, [
        { tool: 'mergeQueue.enqueue', input: { ...target, ...(command.lane ? { lane: command.lane } : {}) } },
      ]);
    case 'dequeue':
      return plan(`Take #${target.pullRequestId} out of the merge queue`, [{ tool: 'mergeQueue.dequeue', input: target }]);
    case 'queueStatus':
      return plan(`Show where #${target.pullRequestId} is in its merge queue`, [{ tool: 'mergeQueue.status', input: target }]);
    case 'rules':
      return command.run
        ? plan(`Run the automation rules on #${target.pullRequestId} now`, [{ tool: 'pullRequest.runRules', input: target }])
        : plan(`Show what the automation rules would do on #${target.pullRequestId}`, [{ tool: 'pullRequest.previewRules', input: target }]);
    case 'cancel':
      return plan(`Cancel the automatic merge of #${target.pullRequestId}`, [{ tool: 'pullRequest.cancelAutoMerge', input: target }]);
    case 'approve':
      return plan(`Approve #${target.pullRequestId}`, [{ tool: 'pullRequest.approve', input: target }]);
    case 'requestReviewers':
      return plan(`Add ${command.reviewers.map((r) => `@${r}`).join(', ')} as reviewers of #${target.pullRequestId}`, [
        { tool: 'pullRequest.addReviewers', input: { ...target, reviewers: command.reviewers } },
      ]);
    case 'rerunFailedPipeline':
      return plan(`Run the failed pipeline of #${target.pullRequestId}'s branch again`, [{ tool: 'pipeline.rerunFailed', input: target }]);
    case 'unapprove':
      return plan(`Remove your approval of #${target.pullRequestId}`, [{ tool: 'pullRequest.unapprove', input: target }]);
    case 'requestChanges':
      return plan(`Request changes on #${target.pullRequestId}`, [{ tool: 'pullRequest.requestChanges', input: target }]);
    case 'decline':
      return plan(`Decline #${target.pullRequestId}`, [{ tool: 'pullRequest.decline', input: target }]);
    case 'rename':
      return plan(`Rename #${target.pullRequestId} to "${command.title}"`, [{ tool: 'pullRequest.update', input: { ...target, title: command.title } }]);
    case 'draft':
      return plan(`Mark #${target.pullRequestId} as a draft`, [{ tool: 'pullRequest.update', input: { ...target, draft: true } }]);
    case 'ready':
      return plan(`Mark #${target.pullRequestId} ready for review`, [{ tool: 'pullRequest.update', input: { ...target, draft: false } }]);
    case 'retarget':
      return plan(`Change the destination of #${target.pullRequestId} to ${command.destination}`, [
        { tool: 'pullRequest.update', input: { ...target, destination: command.destination } },
      ]);
    case 'rerunPipeline':
      return plan(`Run pipeline #${command.pipeline} again`, [{ tool: 'pipeline.rerun', input: { ...repo, pipeline: command.pipeline } }]);
    case 'stopPipeline':
      return plan(`Stop pipeline #${command.pipeline}`, [{ tool: 'pipeline.stop', input: { ...repo, pipeline: command.pipeline } }]);
    case 'runPipeline':
    case 'builds':
    case 'deleteSourceBranch': {
      const branch = ctx.facts?.pullRequest?.sourceBranch;
      if (!branch) return { error: `Bosun could not tell the source branch of #${target.pullRequestId}.`, suggestions: [usage] };
      if (command.name === 'builds') return plan(`List the recent Pipelines runs on ${branch}`, [{ tool: 'pipeline.list', input: { ...repo, branch } }]);
      if (command.name === 'deleteSourceBranch') return plan(`Delete branch ${branch}`, [{ tool: 'branch.delete', input: { ...repo, name: branch } }]);
      return plan(`Run ${command.pipeline ? `the ${command.pipeline} pipeline` : 'the pipeline'} on ${branch}${command.variables ? ` with ${command.variables.map((v) => v.key).join(', ')}` : ''}`, [
        {
          tool: 'pipeline.trigger',
          input: { ...repo, branch, ...(command.pipeline ? { selector: { type: 'custom', pattern: command.pipeline } } : {}), ...(command.variables ? { variables: command.variables } : {}) },
        },
      ]);
    }
  }
}
