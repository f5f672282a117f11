import { z } from 'zod';
import { ToolError } from '../errors';
import type { PullRequestRulesPort, PullRequestRulesPreview } from './pull-request-rules-port';
import { defineTool, type Tool, type ToolContext, type ToolResult } from './tool';
import { pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

async function loadOpenPullRequest(ctx: ToolContext, input: { workspace?: string | undefined; repo: string; pullRequestId: number }) {
  const pr = await ctx.client.pullRequests.get(toWorkspace(input, ctx.tenant), input.repo, input.pullRequestId);
  const repositoryUuid = pr.destination.repository?.uuid;
  if (!repositoryUuid) throw new ToolError(`Bosun could not tell which repository #${pr.id} belongs to.`);
  return { pr, ref: { repositoryUuid, pullRequestId: pr.id } };
}

/** The preview in words: one line per rule, what it would do and whether it would act or only record. */
export function toRulesPreviewText(id: number, preview: PullRequestRulesPreview | null): string {
  if (!preview) return `No rule acts on #${id}: it is not open.`;
  if (preview.entries.length === 0) return `The automation rules would do nothing on #${id} now (rules that are off, or nothing to change).`;
  const lines = preview.entries.flatMap((e) => {
    const how = e.mode === 'on' ? 'would do' : 'in dry run, would only record';
    return e.wouldDo.length > 0 ? e.wouldDo.map((w) => `- ${e.rule} (${how}): ${w}`) : [`- ${e.rule} (${how})`];
  });
  return `What the automation rules would do on #${id} now:\n${lines.join('\n')}`;
}

type LoadedPullRequest = Awaited<ReturnType<typeof loadOpenPullRequest>>;

/** The shape both rule tools share: a PR's fields as input, run as the installation on the PR loaded with its repository. */
function definePullRequestRulesTool<R extends ToolResult>(spec: Pick<Tool, 'name' | 'description' | 'scopes' | 'risk'> & { act(ctx: ToolContext, loaded: LoadedPullRequest): Promise<R> }) {
  return defineTool({
    name: spec.name,
    description: spec.description,
    input: z.object(pullRequestFields),
    scopes: spec.scopes,
    actsAs: 'installation',
    risk: spec.risk,
    async run(ctx, input) {
      return spec.act(ctx, await loadOpenPullRequest(ctx, input));
    },
  });
}

/** What the automation rules would do on a PR now, each in its mode. Reads only (takes no round-robin turn). */
export function createPullRequestPreviewRules(deps: { rules: PullRequestRulesPort }) {
  return definePullRequestRulesTool({
    name: 'pullRequest.previewRules',
    description: 'Show what the automation rules (reviewers, readiness and policy statuses) would do on a pull request now, and which are in dry run.',
    scopes: ['pullrequest'],
    risk: 'read',
    async act(ctx, { pr, ref }) {
      const preview = pr.state === 'OPEN' ? await deps.rules.preview(ctx.tenant.clientKey, ref) : null;
      return { summary: toRulesPreviewText(pr.id, preview), links: toPullRequestLinks(pr), data: { preview } };
    },
  });
}

/**
 * Runs the automation rules on a PR now: queues the rules' job, which acts as the rules through the
 * executor (rules in dry run only record; reviewers are assigned once per PR; statuses only when they change).
 */
export function createPullRequestRunRules(deps: { rules: PullRequestRulesPort }) {
  return definePullRequestRulesTool({
    name: 'pullRequest.runRules',
    description: 'Run the automation rules on a pull request now (each in its mode: rules in dry run only record what they would do).',
    // The rules write reviewers and statuses as the installation.
    scopes: ['pullrequest:write'],
    risk: 'write',
    async act(ctx, { pr, ref }) {
      if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()}: no rule acts on it.`);
      const { queued } = await deps.rules.run(ctx.tenant.clientKey, ref, ctx.step ? `rules:run:${ctx.step.idempotencyKey}` : null);
      return {
        summary: `Running the automation rules on #${pr.id} now; what they do shows in the panel's Automation section and the audit log (rules in dry run only record).`,
        links: toPullRequestLinks(pr),
        data: { queued },
      };
    },
  });
}

/** Both rule tools, for a catalog that has the rules (wired at the composition root). */
export function createPullRequestRulesTools(deps: { rules: PullRequestRulesPort }) {
  return [createPullRequestPreviewRules(deps), createPullRequestRunRules(deps)];
}
