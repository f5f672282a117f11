import type { BuildStatusView } from '../../server/web/api/contracts';

/** Where a build status came from: a Pipelines run of this repository (with its build number), or another CI. */
export type BuildSource = { kind: 'pipelines'; buildNumber: number } | { kind: 'external'; label: string };

/**
 * Reads a status's source from its URL. A Pipelines status links to its run: `/{workspace}/{repo}/pipelines/results/{n}`
 * (the sandbox, and Bitbucket's current UI) or `/{workspace}/{repo}/addon/pipelines/home#!/results/{n}` (Bitbucket's
 * older links; both unverified against the spec, which does not say what Pipelines puts in a status's url). Only this
 * repository's runs count: Re-run and Stop act on them. Anything else is labelled by its host.
 */
export function toBuildSource(status: Pick<BuildStatusView, 'url'>, repoFullName: string | null): BuildSource {
  let url: URL | null = null;
  try {
    url = new URL(status.url);
  } catch {
    return { kind: 'external', label: 'CI' };
  }
  const path = `${url.pathname}${url.hash}`;
  const match = /^\/([^/]+\/[^/]+)\/(?:pipelines\/results\/|addon\/pipelines\/home#!\/results\/)(\d+)(?:[/?#]|$)/.exec(path);
  if (match && (repoFullName === null || match[1]?.toLowerCase() === repoFullName.toLowerCase())) {
    return { kind: 'pipelines', buildNumber: Number(match[2]) };
  }
  return { kind: 'external', label: url.hostname };
}

const PIPELINE_ACTIONS = {
  rerun: { tool: 'pipeline.rerun', summary: (n: number) => `Run pipeline #${n} again` },
  stop: { tool: 'pipeline.stop', summary: (n: number) => `Stop pipeline #${n}` },
  log: { tool: 'pipeline.failedStepLog', summary: (n: number) => `Show the failed step's log of pipeline #${n}` },
} as const;

/** The plans the Builds list runs: the same tools `/bosun rerun <n>`, `/bosun stop pipeline <n>` and Ask Bosun use, through the executor. */
export const toPipelinePlan = (action: keyof typeof PIPELINE_ACTIONS, repo: string, buildNumber: number) => ({
  summary: PIPELINE_ACTIONS[action].summary(buildNumber),
  source: 'button' as const,
  steps: [{ tool: PIPELINE_ACTIONS[action].tool, input: { repo, pipeline: buildNumber } }],
});
