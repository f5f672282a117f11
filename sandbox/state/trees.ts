/** File snapshots of commits: diffstat and a path-level three-way merge (the source side wins conflicts). */
export type Tree = Record<string, string>;

export interface FileChange {
  status: 'added' | 'removed' | 'modified';
  path: string;
  linesAdded: number;
  linesRemoved: number;
}

function countLines(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

/** Lines present in `a` and not in `b`, as multisets (no LCS: enough for a diffstat). */
function linesMissing(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const [line, count] of a) n += Math.max(0, count - (b.get(line) ?? 0));
  return n;
}

export function diffTrees(oldTree: Tree, newTree: Tree): FileChange[] {
  const paths = [...new Set([...Object.keys(oldTree), ...Object.keys(newTree)])].sort();
  const out: FileChange[] = [];
  for (const path of paths) {
    const before = oldTree[path];
    const after = newTree[path];
    if (before === after) continue;
    const a = countLines(before ?? '');
    const b = countLines(after ?? '');
    out.push({
      status: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified',
      path,
      linesAdded: linesMissing(b, a),
      linesRemoved: linesMissing(a, b),
    });
  }
  return out;
}

export function mergeTrees(base: Tree, ours: Tree, theirs: Tree): Tree {
  const out: Tree = { ...ours };
  for (const change of diffTrees(base, theirs)) {
    const content = theirs[change.path];
    if (content === undefined) delete out[change.path];
    else out[change.path] = content;
  }
  return out;
}
