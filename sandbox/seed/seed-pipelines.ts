import { addHours } from '../state/dates';
import { toBracedUuid } from '../state/ids';
import { toPipelineStatusKey, toPipelineStatusPath } from '../pipelines/to-pipeline-status';
import type { Pipeline, PipelineResultName, PipelineStep, SandboxState } from '../state/types';

/**
 * Finished Pipelines runs in the default seed, so the Pipelines page, `pipeline.list` and the failed step's log
 * have something to show before anyone triggers a run. Each is what a real run of the seed's
 * bitbucket-pipelines.yml leaves (the spec's pipeline and pipeline_step fields): its steps with their logs, a
 * NOT_RUN step after a failure, and the build status the run posted on its commit (keyed and addressed as
 * actions/pipeline-actions.ts posts for live runs: one key per branch, so a later run's status replaces an earlier one's). Only acme/web has them: tests of acme/api count its runs from 1.
 */
export interface SeedPipeline {
  repo: string;
  by: string;
  /** Hours after the repository was created; the run takes `minutes`. */
  atHour: number;
  minutes: number;
  selector: Pipeline['selector'];
  result: PipelineResultName;
  steps: Array<{ name: string; result: PipelineStep['result']; log: string[] }>;
  stoppedBy?: string;
}

export const SEED_PIPELINES: readonly SeedPipeline[] = [
  {
    repo: 'web', by: 'alice', atHour: 3, minutes: 4, selector: { type: 'branches', pattern: 'main' }, result: 'SUCCESSFUL',
    steps: [
      { name: 'Build and test', result: 'SUCCESSFUL', log: ['+ npm ci', 'added 812 packages in 21s', '+ npm test', 'Tests: 148 passed, 148 total', 'Step completed successfully.'] },
      { name: 'Deploy to staging', result: 'SUCCESSFUL', log: ['+ ./deploy.sh staging', 'Deployed web@main to staging', 'Step completed successfully.'] },
    ],
  },
  {
    repo: 'web', by: 'bob', atHour: 5, minutes: 3, selector: { type: 'branches', pattern: 'main' }, result: 'FAILED',
    steps: [
      {
        name: 'Build and test', result: 'FAILED',
        log: ['+ npm ci', 'added 812 packages in 20s', '+ npm test', 'FAIL src/login/validate-email.test.ts', '  ✕ refuses an address without a domain (12 ms)', 'Tests: 1 failed, 147 passed, 148 total', 'Command failed: exit status 1'],
      },
      { name: 'Deploy to staging', result: 'NOT_RUN', log: ['+ ./deploy.sh staging'] },
    ],
  },
  {
    repo: 'web', by: 'carol', atHour: 6, minutes: 2, selector: { type: 'custom', pattern: 'deploy' }, result: 'STOPPED', stoppedBy: 'carol',
    steps: [{ name: 'Deploy to production', result: 'STOPPED', log: ['+ ./deploy.sh production', 'Uploading build artefacts…', 'Step stopped.'] }],
  },
];

/** Adds the seed's runs on each repository's main branch head, with the build status each posted. */
export function loadSeedPipelines(state: SandboxState, publicUrl: string | null, runs: readonly SeedPipeline[] = SEED_PIPELINES): void {
  for (const [i, run] of runs.entries()) {
    const repo = state.repositories.find((r) => r.slug === run.repo);
    if (!repo) throw new Error(`seed: no repository ${run.repo} for a pipeline`);
    const head = state.branches.find((b) => b.repoUuid === repo.uuid && b.name === repo.mainbranch);
    const by = state.users.find((u) => u.nickname === run.by);
    if (!head || !by) throw new Error(`seed: pipeline ${i} of ${run.repo} needs the main branch and user ${run.by}`);
    const buildNumber = Math.max(0, ...state.pipelines.filter((p) => p.repoUuid === repo.uuid).map((p) => p.buildNumber)) + 1;
    const createdOn = addHours(repo.createdOn, run.atHour);
    const completedOn = addHours(repo.createdOn, run.atHour + run.minutes / 60);
    const uuid = toBracedUuid(`${repo.uuid}|seed-pipeline|${buildNumber}`);
    state.pipelines.push({
      repoUuid: repo.uuid, uuid, buildNumber, creatorUuid: by.uuid, refName: repo.mainbranch, commitHash: head.target,
      selector: run.selector, variables: [], state: 'COMPLETED', result: run.result,
      terminatorUuid: run.stoppedBy ? (state.users.find((u) => u.nickname === run.stoppedBy)?.uuid ?? null) : null,
      createdOn, completedOn,
      steps: run.steps.map((s, n) => ({
        uuid: toBracedUuid(`${uuid}|step|${n}`), name: s.name, state: 'COMPLETED', result: s.result,
        startedOn: s.result === 'NOT_RUN' ? null : createdOn, completedOn: s.result === 'NOT_RUN' ? null : completedOn, log: s.log,
      })),
    });
    const ws = state.workspaces.find((w) => w.uuid === repo.workspaceUuid);
    const fullName = `${ws?.slug ?? repo.workspaceUuid}/${repo.slug}`;
    const key = toPipelineStatusKey(repo.mainbranch);
    const status = {
      uuid: toBracedUuid(`${fullName}:${head.target}:${key}`),
      repoUuid: repo.uuid, commitHash: head.target, key, name: `Pipeline #${buildNumber} for ${repo.mainbranch}`,
      state: run.result, url: `${(publicUrl ?? '').replace(/\/$/, '')}${toPipelineStatusPath(fullName, buildNumber)}`,
      description: '', refname: repo.mainbranch, createdOn: completedOn, updatedOn: completedOn,
    };
    const earlier = state.statuses.find((s) => s.repoUuid === repo.uuid && s.commitHash === head.target && s.key === key);
    if (earlier) Object.assign(earlier, { ...status, uuid: earlier.uuid, createdOn: earlier.createdOn });
    else state.statuses.push(status);
  }
}
