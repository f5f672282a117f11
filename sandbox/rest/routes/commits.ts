import type { Request, Response, Router } from 'express';
import { toDiffstat } from '../../serialize/to-activity';
import { toCommit } from '../../serialize/to-commit';
import { toFullName } from '../../serialize/to-repository';
import { findMergeBase, listCommitsBetween } from '../../state/graph';
import { getCommit } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import { diffTrees } from '../../state/trees';
import { toQueryList } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountCommitRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state } = kit;
  const repoPath = '/repositories/:workspace/:repo_slug';

  /** `include`/`exclude` repeatable, `path` filters to commits that changed it; default: the main branch. */
  const listCommits = (req: Request, res: Response) => {
    const repo = kit.repoOf(req);
    const include = req.params.revision !== undefined ? [String(req.params.revision)] : toQueryList(req.query.include);
    const starts = (include.length ? include : [repo.mainbranch]).map((r) => getCommit(state, repo, r).hash);
    const excludes = toQueryList(req.query.exclude).map((r) => getCommit(state, repo, r).hash);
    let commits = listCommitsBetween(state, repo, starts, excludes);
    const path = typeof req.query.path === 'string' ? req.query.path : '';
    if (path) {
      commits = commits.filter((c) => {
        const parent = c.parents[0] ? state.commits.find((x) => x.repoUuid === repo.uuid && x.hash === c.parents[0]) : undefined;
        return (parent?.tree[path] ?? null) !== (c.tree[path] ?? null);
      });
    }
    res.json(paginate(req, ctx.apiBaseUrl, commits.map((c) => toCommit(ctx, repo, c)), { defaultPagelen: 30, maxPagelen: 100 }));
  };
  router.get(`${repoPath}/commits`, kit.guard('repository', listCommits));
  router.get(`${repoPath}/commits/:revision`, kit.guard('repository', listCommits));

  router.get(`${repoPath}/commit/:commit`, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    res.json(toCommit(ctx, repo, getCommit(state, repo, String(req.params.commit))));
  }));

  /** Raw file text; a directory answers Bitbucket's paginated tree entries. */
  router.get(`${repoPath}/src/:commit/*`, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const path = String((req.params as Record<string, string>)[0] ?? '').replace(/\/+$/, '');
    const content = commit.tree[path];
    const fullName = toFullName(ctx, repo);
    const srcLink = (p: string) => ({ self: { href: `${ctx.apiBaseUrl}/2.0/repositories/${fullName}/src/${commit.hash}/${p}` } });
    const commitRef = { type: 'commit', hash: commit.hash };
    if (content !== undefined) {
      if (req.query.format === 'meta') {
        return res.json({ type: 'commit_file', path, escaped_path: path, size: Buffer.byteLength(content), mimetype: null, commit: commitRef, links: srcLink(path) });
      }
      return res.type('text/plain').send(content);
    }
    const prefix = path ? `${path}/` : '';
    const children = new Map<string, 'commit_file' | 'commit_directory'>();
    for (const p of Object.keys(commit.tree).filter((x) => x.startsWith(prefix))) {
      const rest = p.slice(prefix.length);
      const [head, ...tail] = rest.split('/');
      children.set(`${prefix}${head}`, tail.length ? 'commit_directory' : 'commit_file');
    }
    if (!children.size) throw new SandboxError(404, `No such file or directory: ${path}`);
    const entries = [...children].sort(([a], [b]) => a.localeCompare(b)).map(([p, type]) => ({ type, path: p, commit: commitRef, links: srcLink(p) }));
    res.json(paginate(req, ctx.apiBaseUrl, entries, { maxPagelen: 100 }));
  }));

  /** `new..old` like Bitbucket; topic (default true) diffs against the merge base, i.e. three-dot. */
  router.get(`${repoPath}/diffstat/:spec`, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    const [newRef, oldRef] = String(req.params.spec).split('..');
    const newer = getCommit(state, repo, newRef ?? '');
    let older = oldRef ? getCommit(state, repo, oldRef) : newer.parents[0] ? getCommit(state, repo, newer.parents[0]) : null;
    if (older && req.query.topic !== 'false') older = findMergeBase(state, repo, newer.hash, older.hash) ?? older;
    const changes = diffTrees(older?.tree ?? {}, newer.tree);
    res.json(paginate(req, ctx.apiBaseUrl, changes.map((ch) => toDiffstat(ctx, repo, ch, older?.hash ?? newer.hash, newer.hash)), { defaultPagelen: 500, maxPagelen: 500 }));
  }));
}
