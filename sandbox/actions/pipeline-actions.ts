import { findPipelineSteps, listBranchPatterns, parsePipelinesYml, type PipelineSectionRef } from '../pipelines/parse-pipelines-yml';
import { toPipelineStatusKey, toPipelineStatusPath } from '../pipelines/to-pipeline-status';
import { toHtmlUrl } from '../serialize/api-context';
import { toFullName } from '../serialize/to-repository';
import { toGlobRegExp } from '../state/glob';
import { toBracedUuid } from '../state/ids';
import { getCommit, getRepository, getUser } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { CommitStatusState, Pipeline, PipelineResultName, Repository } from '../state/types';
import type { ActionContext } from './action-context';
import type { RepositoryActions } from './repository-actions';

export interface TriggerPipelineInput {
  workspace: string;
  repo: string;
  actor: string;
  refName: string;
  commit?: string;
  selector?: { type: 'branches' | 'default' | 'custom'; pattern?: string };
  variables?: Array<{ key: string; value: string; secured?: boolean }>;
}

export interface PipelineActions {
  /**
   * Starts a pipeline that runs PENDING → IN_PROGRESS → (each step) → COMPLETED, one transition per
   * `pipelineStepMs`, posting a build status on its commit keyed as Pipelines keys it (the hash of the branch
   * name, pipelines/to-pipeline-status.ts), so a later run on the same branch and commit overwrites it. It fails when a
   * step's script contains `exit 1` (see `custom: fail` in the seed yml) or a variable
   * `SANDBOX_RESULT=FAILED` is set. A variable `SANDBOX_HOLD=true` keeps it IN_PROGRESS in its
   * first step until it is stopped (sandbox-only, like SANDBOX_RESULT: tests stop a running build
   * without racing its timers). A variable `SANDBOX_FLAKY=true` fails the first such run of a commit and lets
   * later ones pass (a flaky test that a re-run, which copies the variables, gets past).
   */
  triggerPipeline(input: TriggerPipelineInput): Pipeline;
  stopPipeline(input: { workspace: string; repo: string; actor: string; uuid: string }): Pipeline;
}

export function findPipeline(state: ActionContext['state'], repo: Repository, uuid: string): Pipeline {
  const bare = uuid.replace(/^\{|\}$/g, '').toLowerCase();
  const p = state.pipelines.find((x) => x.repoUuid === repo.uuid && x.uuid.slice(1, -1).toLowerCase() === bare);
  if (!p) throw new SandboxError(404, `No pipeline with uuid ${uuid}.`, undefined, { key: 'result-service.pipeline.not-found' });
  return p;
}

export function createPipelineActions(c: ActionContext, repoActions: Pick<RepositoryActions, 'setCommitStatus'>): PipelineActions {
  const { state } = c;

  // Pipelines' statuses carry an empty description (the captures in pipelines/to-pipeline-status.ts).
  const postStatus = (repo: Repository, p: Pipeline, statusState: CommitStatusState) => {
    const ws = state.workspaces.find((w) => w.uuid === repo.workspaceUuid);
    repoActions.setCommitStatus({
      workspace: ws?.slug ?? repo.workspaceUuid, repo: repo.uuid, commit: p.commitHash, actor: p.creatorUuid,
      key: toPipelineStatusKey(p.refName), state: statusState, name: `Pipeline #${p.buildNumber} for ${p.refName}`,
      url: toHtmlUrl(c.ctx, toPipelineStatusPath(toFullName(c.ctx, repo), p.buildNumber)), description: '', refname: p.refName,
    });
  };

  const finish = (repo: Repository, p: Pipeline, result: PipelineResultName) => {
    const date = c.stamp();
    Object.assign(p, { state: 'COMPLETED', result, completedOn: date });
    for (const step of p.steps) {
      if (step.state === 'COMPLETED') continue;
      const ran = step.state === 'IN_PROGRESS';
      Object.assign(step, { state: 'COMPLETED', result: ran ? result : 'NOT_RUN', completedOn: ran ? date : null });
      if (ran && result === 'STOPPED') step.log.push('Step stopped.');
    }
    postStatus(repo, p, result);
  };

  /** One transition; re-arms itself until the pipeline completes or was stopped meanwhile. */
  const advance = (repo: Repository, p: Pipeline, failAt: number) => {
    if (p.state === 'COMPLETED') return;
    const held = p.variables.some((v) => v.key === 'SANDBOX_HOLD' && v.value.toLowerCase() === 'true');
    if (held && p.state === 'IN_PROGRESS') return;
    const date = c.stamp();
    if (p.state === 'PENDING') {
      p.state = 'IN_PROGRESS';
      const first = p.steps[0];
      if (first) Object.assign(first, { state: 'IN_PROGRESS', startedOn: date });
      postStatus(repo, p, 'INPROGRESS');
    } else {
      const i = p.steps.findIndex((s) => s.state === 'IN_PROGRESS');
      const step = p.steps[i];
      if (!step || i === failAt) {
        step?.log.push('Command failed: exit status 1');
        return finish(repo, p, 'FAILED');
      }
      step.log.push('Step completed successfully.');
      Object.assign(step, { state: 'COMPLETED', result: 'SUCCESSFUL', completedOn: date });
      const next = p.steps[i + 1];
      if (!next) return finish(repo, p, 'SUCCESSFUL');
      Object.assign(next, { state: 'IN_PROGRESS', startedOn: date });
    }
    c.scheduler.after(c.timings.pipelineStepMs, () => advance(repo, p, failAt));
  };

  return {
    triggerPipeline(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const creator = getUser(state, input.actor);
      const branch = c.findBranch(repo, input.refName);
      if (!branch && !input.commit) throw new SandboxError(400, `Branch not found: ${input.refName}`, undefined, { key: 'result-service.pipeline.branch-not-found' });
      const commit = getCommit(state, repo, input.commit ?? branch!.target);
      const yml = commit.tree['bitbucket-pipelines.yml'];
      const doc = yml === undefined ? null : parsePipelinesYml(yml);
      if (!doc) {
        throw new SandboxError(400, 'Could not find a bitbucket-pipelines.yml file in the repository for this revision.', undefined, { key: 'result-service.pipeline.yml-not-found' });
      }
      const selector = input.selector ?? { type: 'branches' as const };
      let section: PipelineSectionRef;
      if (selector.type === 'custom') {
        if (!selector.pattern) throw new SandboxError(400, 'target.selector.pattern: required for a custom pipeline.');
        section = { type: 'custom', pattern: selector.pattern };
      } else if (selector.type === 'branches' && selector.pattern) {
        section = { type: 'branches', pattern: selector.pattern };
      } else {
        const match = selector.type === 'branches' ? listBranchPatterns(doc).find((g) => toGlobRegExp(g).test(input.refName)) : undefined;
        section = match ? { type: 'branches', pattern: match } : { type: 'default' };
      }
      const defined = findPipelineSteps(doc, section);
      if (!defined || defined.length === 0) {
        const name = section.type === 'default' ? 'default' : `${section.type}.${section.pattern}`;
        throw new SandboxError(400, `The pipeline "${name}" is not defined in bitbucket-pipelines.yml.`, undefined, { key: 'result-service.pipeline.plan-not-found' });
      }
      const buildNumber = Math.max(0, ...state.pipelines.filter((p) => p.repoUuid === repo.uuid).map((p) => p.buildNumber)) + 1;
      const uuid = toBracedUuid(`${repo.uuid}|pipeline|${buildNumber}|${c.stamp()}`);
      const pipeline: Pipeline = {
        repoUuid: repo.uuid,
        uuid,
        buildNumber,
        creatorUuid: creator.uuid,
        refName: input.refName,
        commitHash: commit.hash,
        selector: { type: section.type, pattern: section.type === 'default' ? null : section.pattern },
        variables: (input.variables ?? []).map((v) => ({ key: v.key, value: v.value, secured: v.secured ?? false })),
        state: 'PENDING',
        result: null,
        terminatorUuid: null,
        createdOn: c.stamp(),
        completedOn: null,
        steps: defined.map((s, i) => ({
          uuid: toBracedUuid(`${uuid}|step|${i}`),
          name: s.name,
          state: 'PENDING',
          result: null,
          startedOn: null,
          completedOn: null,
          log: s.script.map((cmd) => `+ ${cmd}`),
        })),
      };
      const isFlaky = (p: Pipeline) => p.variables.some((v) => v.key === 'SANDBOX_FLAKY' && v.value.toLowerCase() === 'true');
      const flakyFirst = isFlaky(pipeline) && !state.pipelines.some((p) => p.repoUuid === repo.uuid && p.commitHash === commit.hash && isFlaky(p));
      state.pipelines.push(pipeline);
      const forcedFailure = flakyFirst || pipeline.variables.some((v) => v.key === 'SANDBOX_RESULT' && v.value.toUpperCase() === 'FAILED');
      const scripted = defined.findIndex((s) => s.script.some((cmd) => /^exit\s+[1-9]/.test(cmd.trim())));
      const failAt = scripted >= 0 ? scripted : forcedFailure ? defined.length - 1 : -1;
      c.scheduler.after(c.timings.pipelineStepMs, () => advance(repo, pipeline, failAt));
      return pipeline;
    },

    stopPipeline(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const p = findPipeline(state, repo, input.uuid);
      if (p.state === 'COMPLETED') throw new SandboxError(400, 'The pipeline has already completed.', undefined, { key: 'result-service.pipeline.already-completed' });
      p.terminatorUuid = actor.uuid;
      finish(repo, p, 'STOPPED');
      return p;
    },
  };
}
