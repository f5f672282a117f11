import type { HttpTransport } from '../http';
import { toPathSegment, toRepositoryFilePath, toRepositoryPath } from '../paths';

export interface CreateCommitInput {
  /** Repository path (from the root, with or without a leading slash) → the file's new text. */
  files: Readonly<Record<string, string>>;
  /** Omitted, Bitbucket writes a canned message. */
  message?: string;
  /** Omitted, the commit goes on top of the main branch; a new name makes a branch from the main branch's head. */
  branch?: string;
  /** The commit the new one must follow (409 when the branch has moved on). */
  parent?: string;
}

export interface SourceOperations {
  /**
   * `GET /2.0/repositories/{workspace}/{repo_slug}/src/{commit}/{path}`: the file's raw text.
   * `ref` is best a commit hash; a branch name is sent as one encoded segment. A missing file
   * (or ref) throws NotFoundError. A directory answers its JSON listing, returned as text here.
   */
  getFile(workspace: string, repoSlug: string, ref: string, path: string): Promise<string>;
  /**
   * `POST /2.0/repositories/{workspace}/{repo_slug}/src`: one commit adding or replacing `files`,
   * sent as application/x-www-form-urlencoded (the spec's form for text files; multipart/form-data
   * is not supported for Forge apps, per the operation's description). File fields carry a leading
   * slash so a file named like a meta field (`message`) is still a file. Resolves with the new
   * commit's hash when Bitbucket's Location header names it (not in the spec: null otherwise).
   */
  createCommit(workspace: string, repoSlug: string, input: CreateCommitInput): Promise<{ hash: string | null }>;
}

/** Builds the `source` group of the client. */
export function createSourceOperations(http: HttpTransport): SourceOperations {
  return {
    getFile: async (workspace, repoSlug, ref, path) =>
      http.sendText({
        method: 'GET',
        path: `${toRepositoryPath(workspace, repoSlug)}/src/${toPathSegment(ref, 'ref')}/${toRepositoryFilePath(path)}`,
      }),
    createCommit: async (workspace, repoSlug, input) => {
      const form = new URLSearchParams();
      for (const [path, content] of Object.entries(input.files)) {
        toRepositoryFilePath(path); // refuses empty, "." and ".." segments, as for reads
        form.append(`/${path.replace(/^\/+/, '')}`, content);
      }
      if (input.message !== undefined) form.append('message', input.message);
      if (input.branch !== undefined) form.append('branch', input.branch);
      if (input.parent !== undefined) form.append('parents', input.parent);
      const response = await http.send({ method: 'POST', path: `${toRepositoryPath(workspace, repoSlug)}/src`, form });
      const hash = /\/commit\/([0-9a-f]{7,40})\/?$/i.exec(response.headers.get('location') ?? '')?.[1] ?? null;
      return { hash };
    },
  };
}
