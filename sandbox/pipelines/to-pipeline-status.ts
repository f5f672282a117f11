/**
 * What Bitbucket Pipelines puts in the build status a run posts on its commit, as two real deliveries show
 * (samples/webhooks/repo.commit_status_{created,updated}--drone-go-scm.json, 2025: `key "3343801"`, `name
 * "Pipeline #4 for main"`, `url …/addon/pipelines/home#!/results/4`, `description ""`; and a 2023 capture with
 * `key "-1879968562"` for `refname "feature/pipeline-webhooks"`). Both keys are Java's `String.hashCode()` of
 * the refname, so every run on one branch posts the same key and a re-run on the same commit overwrites the
 * earlier run's status. Unverified: the keys of custom and pull-request pipelines (no capture shows one); the
 * sandbox assumes the same rule, the only one the captures support (docs/ci-pipelines.md).
 */
export function toPipelineStatusKey(refName: string): string {
  let hash = 0;
  for (let i = 0; i < refName.length; i += 1) hash = (Math.imul(hash, 31) + refName.charCodeAt(i)) | 0;
  return String(hash);
}

/** The run's address as Pipelines writes it in a status (the older UI route; Bitbucket redirects it to the run). */
export const toPipelineStatusPath = (fullName: string, buildNumber: number) => `/${fullName}/addon/pipelines/home#!/results/${buildNumber}`;
