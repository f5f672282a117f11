import { z } from 'zod';
import type { BitbucketClient, Pipeline, TriggerPipelineInput } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';
import { toPipelineLinks } from './pipeline-trigger';
import { toRerunVariables, toSecuredNote } from './pipeline-rerun-variables';

const TRIGGERABLE_SELECTORS = new Set(['custom', 'branches', 'default']);

/**
 * A run given by `{uuid}` or build number; build numbers are looked up among the recent runs, then the run is read
 * by its uuid: that is where openapi.json documents its `variables` (whether the list carries them is unverified).
 */
async function findRun(client: BitbucketClient, workspace: string, repo: string, pipeline: string | number): Promise<Pipeline | null> {
  if (typeof pipeline === 'string') return client.pipelines.get(workspace, repo, pipeline);
  const recent = await client.pipelines.list(workspace, repo, { sort: '-created_on', max: 100 });
  const listed = recent.find((p) => p.build_number === pipeline);
  return listed ? client.pipelines.get(workspace, repo, listed.uuid) : null;
}

/**
 * The same target as the original run: its branch, its commit and its pipeline selector. Bitbucket's REST API
 * has no "rerun" (openapi.json: only `POST …/pipelines` creates one), so a re-run is a new run of that target.
 */
function toRerunTarget(run: Pipeline): TriggerPipelineInput['target'] {
  const branch = run.target.ref_name;
  if (!branch) throw new ToolError(`Pipeline #${run.build_number} ran on no branch; Bosun re-runs branch pipelines only.`);
  const selector = run.target.selector;
  const hash = run.target.commit?.hash;
  return {
    type: 'pipeline_ref_target',
    ref_type: 'branch',
    ref_name: branch,
    ...(hash ? { commit: { type: 'commit', hash } } : {}),
    ...(selector && TRIGGERABLE_SELECTORS.has(selector.type)
      ? { selector: { type: selector.type as 'custom' | 'branches' | 'default', ...(selector.pattern ? { pattern: selector.pattern } : {}) } }
      : {}),
  };
}

export const pipelineRerun = defineTool({
  name: 'pipeline.rerun',
  description:
    'Run one Pipelines run again (given its {uuid} or build number): a new run of the same branch, commit and pipeline, with the same variables (secured values excepted).',
  input: z.object({
    ...repoFields,
    pipeline: z
      .union([z.string().regex(/^\{[0-9a-f-]{36}\}$/i, 'must be a {uuid}'), z.number().int().positive()])
      .describe('Pipeline {uuid} or build number'),
  }),
  scopes: ['pipeline:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const original = await findRun(ctx.client, workspace, input.repo, input.pipeline);
    if (!original) throw new ToolError(`No recent pipeline #${String(input.pipeline)} in ${toRepoName(input, ctx.tenant)}.`);
    if (original.state.name !== 'COMPLETED') {
      throw new ToolError(`Pipeline #${original.build_number} is still running; stop it first or wait for it to finish.`);
    }
    const target = toRerunTarget(original);
    const { variables, secured } = toRerunVariables(original);
    if (ctx.step?.mayBeApplied) {
      // A run of the same target started after the original is this step's effect from an earlier attempt.
      const recent = await ctx.client.pipelines.list(workspace, input.repo, { 'target.branch': target.ref_name, sort: '-created_on', max: 20 });
      const earlier = recent.find(
        (p) => p.build_number > original.build_number && p.target.commit?.hash === original.target.commit?.hash && p.target.selector?.type === original.target.selector?.type && p.target.selector?.pattern === original.target.selector?.pattern,
      );
      if (earlier) return toResult(original, earlier, secured);
    }
    const started = await ctx.client.pipelines.trigger(workspace, input.repo, { target, ...(variables.length > 0 ? { variables } : {}) });
    return toResult(original, started, secured);
  },
});

function toResult(original: Pipeline, started: Pipeline, secured: readonly string[]) {
  return {
    summary: `Started pipeline #${started.build_number} to run #${original.build_number} (${original.target.ref_name ?? ''}) again.${toSecuredNote(secured)}`,
    links: [...toPipelineLinks(started), ...toPipelineLinks(original)],
    data: { uuid: started.uuid, buildNumber: started.build_number, rerunOf: original.uuid },
  };
}
