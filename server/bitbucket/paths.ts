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
