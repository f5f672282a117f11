import type { HttpTransport } from '../http';
import { toPathSegment, toRepositoryFilePath, toRepositoryPath } from '../paths';

export interface SourceOperations {
  /**
   * `GET /2.0/repositories/{workspace}/{repo_slug}/src/{commit}/{path}`: the file's raw text.
   * `ref` is best a commit hash; a branch name is sent as one encoded segment. A missing file
   * (or ref) throws NotFoundError. A directory answers its JSON listing, returned as text here.
   */
  getFile(workspace: string, repoSlug: string, ref: string, path: string): Promise<string>;
}

/** Builds the `source` group of the client. */
export function createSourceOperations(http: HttpTransport): SourceOperations {
  return {
    getFile: async (workspace, repoSlug, ref, path) =>
      http.sendText({
        method: 'GET',
        path: `${toRepositoryPath(workspace, repoSlug)}/src/${toPathSegment(ref, 'ref')}/${toRepositoryFilePath(path)}`,
      }),
  };
}
