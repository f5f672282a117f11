/**
 * The mapping table from a normalised CI state to a Bitbucket commit status (REFERENCE.md §7):
 * running → INPROGRESS; success → SUCCESSFUL; failure and unstable → FAILED; cancelled and
 * aborted → STOPPED; skipped and not built → STOPPED with a description. Nothing but success is
 * ever SUCCESSFUL: a skipped build has proven nothing.
 */
import type { CommitStatusState } from '../bitbucket/schemas/commit-status';
import type { CiBuildResult, CiBuildState } from './ci-build-result';
import { toStatusKey } from './to-status-key';

export interface CiStatusMapping {
  state: CommitStatusState;
  /** Used when the CI sent no description of its own. */
  description?: string;
}

export const CI_STATE_TO_BITBUCKET: Readonly<Record<CiBuildState, CiStatusMapping>> = {
  queued: { state: 'INPROGRESS', description: 'Queued' },
  running: { state: 'INPROGRESS' },
  success: { state: 'SUCCESSFUL' },
  failure: { state: 'FAILED' },
  unstable: { state: 'FAILED', description: 'Unstable' },
  error: { state: 'FAILED', description: 'Errored' },
  cancelled: { state: 'STOPPED', description: 'Cancelled' },
  aborted: { state: 'STOPPED', description: 'Aborted' },
  skipped: { state: 'STOPPED', description: 'Skipped: this check did not run, so it proves nothing' },
  not_built: { state: 'STOPPED', description: 'Not built: this check did not run, so it proves nothing' },
};

/** Bitbucket's own field limits for a build status. */
const MAX_NAME = 255;
const MAX_DESCRIPTION = 255;

/** The body of `POST …/commit/{commit}/statuses/build` (see bitbucket/operations/statuses.ts). */
export interface CiStatusUpdate {
  key: string;
  state: CommitStatusState;
  name: string;
  url: string;
  description?: string;
  refname?: string;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The status Bosun posts for a build result. `refname` is the PR's source branch when the caller
 * knows it (from the mirror), else the branch the CI built, so the status shows on the PR.
 */
export function toBitbucketStatus(result: CiBuildResult, options: { sourceBranch?: string } = {}): CiStatusUpdate {
  const mapping = CI_STATE_TO_BITBUCKET[result.state];
  const description = result.description ?? mapping.description;
  const refname = options.sourceBranch ?? result.branch;
  return {
    key: toStatusKey(result.provider, result.check),
    state: mapping.state,
    name: clip(result.name, MAX_NAME),
    url: result.url,
    ...(description === undefined ? {} : { description: clip(description, MAX_DESCRIPTION) }),
    ...(refname === undefined ? {} : { refname }),
  };
}
