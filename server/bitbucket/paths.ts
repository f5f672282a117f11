/**
 * Path builders. `{workspace}` and `{repo_slug}` may be slugs or `{uuid}`s; both are encoded
 * as one path segment so braces and odd characters cannot change the route.
 */

/** Encodes one path segment; refuses empty ones, which would silently hit another endpoint. */
export function toPathSegment(value: string | number, what: string): string {
  const text = String(value);
  if (text === '') throw new TypeError(`Bitbucket ${what} must not be empty`);
  return encodeURIComponent(text);
}

/** `/repositories/{workspace}/{repo_slug}` below /2.0. */
export function toRepositoryPath(workspace: string, repoSlug: string): string {
  return `/repositories/${toPathSegment(workspace, 'workspace')}/${toPathSegment(repoSlug, 'repository slug')}`;
}

/** `/repositories/{workspace}/{repo_slug}/pullrequests/{id}` below /2.0. */
export function toPullRequestPath(workspace: string, repoSlug: string, id: number): string {
  if (!Number.isInteger(id) || id < 1) throw new TypeError('Bitbucket pull request id must be a positive integer');
  return `${toRepositoryPath(workspace, repoSlug)}/pullrequests/${id}`;
}

/**
 * A file path inside a repository (`src/{commit}/{path}`): each segment encoded, `/` kept.
 * Empty, `.` and `..` segments are refused because URL parsing would collapse them into
 * another route.
 */
export function toRepositoryFilePath(path: string): string {
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new TypeError('Bitbucket file path must not be empty or contain empty, "." or ".." segments');
  }
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/** `/repositories/{workspace}/{repo_slug}/pipelines/{pipeline_uuid}` below /2.0. */
export function toPipelinePath(workspace: string, repoSlug: string, pipelineUuid: string): string {
  return `${toRepositoryPath(workspace, repoSlug)}/pipelines/${toPathSegment(pipelineUuid, 'pipeline uuid')}`;
}
