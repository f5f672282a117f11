import type { Commit, Repository, SandboxState } from './types';

function commitIndex(state: SandboxState, repo: Repository): Map<string, Commit> {
  return new Map(state.commits.filter((c) => c.repoUuid === repo.uuid).map((c) => [c.hash, c]));
}

/** Every commit reachable from `from` (itself included), breadth first. */
export function toAncestors(state: SandboxState, repo: Repository, from: string): Commit[] {
  const index = commitIndex(state, repo);
  const out: Commit[] = [];
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length) {
    const hash = queue.shift()!;
    if (seen.has(hash)) continue;
    seen.add(hash);
    const c = index.get(hash);
    if (!c) continue;
    out.push(c);
    queue.push(...c.parents);
  }
  return out;
}

export function isAncestor(state: SandboxState, repo: Repository, ancestor: string, of: string): boolean {
  return toAncestors(state, repo, of).some((c) => c.hash === ancestor);
}

/** The nearest common ancestor of two commits (git merge-base for our small histories). */
export function findMergeBase(state: SandboxState, repo: Repository, a: string, b: string): Commit | null {
  const ofA = new Set(toAncestors(state, repo, a).map((c) => c.hash));
  return toAncestors(state, repo, b).find((c) => ofA.has(c.hash)) ?? null;
}

/** `git log include ^exclude...`, newest first. */
export function listCommitsBetween(state: SandboxState, repo: Repository, include: string[], exclude: string[]): Commit[] {
  const excluded = new Set(exclude.flatMap((h) => toAncestors(state, repo, h).map((c) => c.hash)));
  const seen = new Set<string>();
  const out: Commit[] = [];
  for (const h of include) {
    for (const c of toAncestors(state, repo, h)) {
      if (excluded.has(c.hash) || seen.has(c.hash)) continue;
      seen.add(c.hash);
      out.push(c);
    }
  }
  return out.sort((x, y) => y.date.localeCompare(x.date));
}
