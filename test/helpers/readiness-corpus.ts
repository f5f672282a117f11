import { createSandbox, SandboxError, type MergeStrategy, type Sandbox } from '../../sandbox';
import type { OracleRestriction, ReadinessInput } from '../../server/rules';

/**
 * A generated corpus of pull-request shapes, each built on the sandbox with its own actions and
 * merged there, so the sandbox's answer (merged or refused) can be held against the readiness
 * oracle's `bitbucketAllowsMerge`. The oracle's input is built from the shape itself, never read
 * back from the sandbox, so the two sides stay independent.
 */
export interface RestrictionShape {
  kind:
    | 'require_approvals_to_merge'
    | 'require_default_reviewer_approvals_to_merge'
    | 'require_no_changes_requested'
    | 'require_passing_builds_to_merge'
    | 'require_tasks_to_be_completed'
    | 'restrict_merges'
    | 'enforce_merge_checks';
  match: { glob: string } | { branchType: 'development' | 'release' | 'feature' };
  value: number | null;
  users: string[];
}

export interface ReadinessShape {
  destination: 'main' | 'release/1.0' | 'develop';
  draft: boolean;
  declined: boolean;
  restrictions: RestrictionShape[];
  defaultReviewers: string[];
  reviewers: string[];
  approvals: string[];
  changesRequested: string[];
  statuses: ('SUCCESSFUL' | 'FAILED' | 'INPROGRESS' | 'STOPPED')[];
  tasks: ('RESOLVED' | 'UNRESOLVED')[];
  merger: 'alice' | 'dave' | 'bob';
  strategy: MergeStrategy;
  destinationAhead: boolean;
  sourceDeleted: boolean;
}

const AUTHOR = 'bob';
const OTHERS = ['alice', 'carol', 'dave'] as const;
const GLOBS = ['main', 'ma*', '*', 'release/*', 'release/?.0', 'develop', 'feature/*', '**'];
const STRATEGIES: MergeStrategy[] = ['merge_commit', 'squash', 'fast_forward', 'squash_fast_forward', 'rebase_fast_forward', 'rebase_merge'];
const KINDS: RestrictionShape['kind'][] = [
  'require_approvals_to_merge',
  'require_default_reviewer_approvals_to_merge',
  'require_no_changes_requested',
  'require_passing_builds_to_merge',
  'require_tasks_to_be_completed',
  'restrict_merges',
  'enforce_merge_checks',
];

/** mulberry32: a small deterministic PRNG, so the corpus is the same on every run. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateReadinessShapes(count: number, seed = 12): ReadinessShape[] {
  const rand = createRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const subset = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => chance(p));
  const shapes: ReadinessShape[] = [];
  for (let i = 0; i < count; i++) {
    const restrictions: RestrictionShape[] = [];
    const n = Math.floor(rand() * 4);
    for (let r = 0; r < n; r++) {
      const kind = pick(KINDS);
      restrictions.push({
        kind,
        match: chance(0.75) ? { glob: pick(GLOBS) } : { branchType: pick(['development', 'release', 'feature'] as const) },
        value: kind.startsWith('require_') && kind !== 'require_no_changes_requested' && kind !== 'require_tasks_to_be_completed' ? (chance(0.2) ? null : Math.floor(rand() * 3)) : null,
        users: kind === 'restrict_merges' ? subset(['alice', 'dave', 'bob'], 0.5) : [],
      });
    }
    const reviewers = subset(OTHERS, 0.5);
    const voters = [...OTHERS].filter(() => chance(0.6));
    const approvals = voters.filter(() => chance(0.6));
    const changesRequested = voters.filter((v) => !approvals.includes(v) && chance(0.4));
    shapes.push({
      destination: pick(['main', 'main', 'release/1.0', 'develop'] as const),
      draft: chance(0.08),
      declined: chance(0.04),
      restrictions,
      defaultReviewers: subset(OTHERS, 0.4),
      reviewers,
      approvals,
      changesRequested,
      statuses: Array.from({ length: Math.floor(rand() * 3) }, () => pick(['SUCCESSFUL', 'SUCCESSFUL', 'SUCCESSFUL', 'FAILED', 'INPROGRESS', 'STOPPED'] as const)),
      tasks: Array.from({ length: Math.floor(rand() * 3) }, () => pick(['RESOLVED', 'UNRESOLVED'] as const)),
      merger: pick(['alice', 'alice', 'dave', 'bob'] as const),
      strategy: chance(0.6) ? 'merge_commit' : pick(STRATEGIES),
      destinationAhead: chance(0.3),
      sourceDeleted: chance(0.03),
    });
  }
  return shapes;
}

export interface CorpusSandbox {
  sandbox: Sandbox;
  uuidOf(nickname: string): string;
  close(): Promise<void>;
}

export function createCorpusSandbox(enforceMergeChecks: 'always' | 'premium'): CorpusSandbox {
  const sandbox = createSandbox({ publicUrl: 'http://sandbox.invalid', enforceMergeChecks, rateLimitPerHour: 0, logger: { info() {}, warn() {}, error() {} } });
  const uuidOf = (nickname: string) => {
    const user = sandbox.state.users.find((u) => u.nickname === nickname);
    if (!user) throw new Error(`No sandbox user ${nickname}`);
    return user.uuid;
  };
  return { sandbox, uuidOf, close: () => sandbox.close() };
}

export interface MergeOutcome {
  merged: boolean;
  status: number | null;
  message: string;
}

/** Builds the shape in a fresh repository of the sandbox and tries the merge there. */
export function runShapeOnSandbox(corpus: CorpusSandbox, shape: ReadinessShape, index: number): MergeOutcome {
  const { sandbox } = corpus;
  const a = sandbox.actions;
  const workspace = 'acme';
  const repo = `readiness-${index}`;
  a.createRepository({ workspace, slug: repo, actor: 'alice' });
  const main = sandbox.state.branches.find((b) => b.name === 'main' && b.repoUuid === sandbox.state.repositories.find((r) => r.slug === repo)!.uuid)!;
  if (shape.destination !== 'main') a.createBranch({ workspace, repo, actor: 'alice', name: shape.destination, target: main.target });
  const source = `feature/shape-${index}`;
  a.pushCommit({ workspace, repo, branch: source, actor: AUTHOR, message: 'work' });
  if (shape.destinationAhead) a.pushCommit({ workspace, repo, branch: shape.destination, actor: 'alice', message: 'destination moves' });
  for (const d of shape.defaultReviewers) a.addDefaultReviewer({ workspace, repo }, d);
  for (const r of shape.restrictions) {
    a.createBranchRestriction(
      { workspace, repo },
      'glob' in r.match
        ? { kind: r.kind, branchMatchKind: 'glob', pattern: r.match.glob, value: r.value, users: r.users }
        : { kind: r.kind, branchMatchKind: 'branching_model', branchType: r.match.branchType, value: r.value, users: r.users },
    );
  }
  const pr = a.createPullRequest({ workspace, repo, actor: AUTHOR, title: `Shape ${index}`, sourceBranch: source, destinationBranch: shape.destination, reviewers: shape.reviewers, draft: shape.draft });
  const ref = { workspace, repo, id: pr.id };
  for (const u of shape.approvals) a.approve(ref, u);
  for (const u of shape.changesRequested) a.requestChanges(ref, u);
  shape.statuses.forEach((state, k) => a.setCommitStatus({ workspace, repo, commit: pr.source.hash, actor: AUTHOR, key: `build-${k}`, state }));
  for (const state of shape.tasks) {
    const task = a.createTask(ref, AUTHOR, { raw: 'do it' });
    if (state === 'RESOLVED') a.updateTask(ref, AUTHOR, task.id, { state: 'RESOLVED' });
  }
  if (shape.declined) a.decline(ref, AUTHOR);
  if (shape.sourceDeleted) a.deleteBranch({ workspace, repo, actor: AUTHOR, name: source });
  try {
    a.merge(ref, shape.merger, { mergeStrategy: shape.strategy });
    return { merged: true, status: null, message: '' };
  } catch (err) {
    if (err instanceof SandboxError) return { merged: false, status: err.status, message: err.message };
    throw err;
  }
}

/** The oracle's input for a shape, from the shape alone (the sandbox's uuids only name people). */
export function toReadinessInput(shape: ReadinessShape, uuidOf: (nickname: string) => string, index = 0): ReadinessInput {
  const restrictions: OracleRestriction[] = shape.restrictions.map((r) => ({
    kind: r.kind,
    value: r.value,
    ...('glob' in r.match ? { branch_match_kind: 'glob', pattern: r.match.glob } : { branch_match_kind: 'branching_model', branch_type: r.match.branchType, pattern: '' }),
    userUuids: r.users.map(uuidOf),
  }));
  const defaults = shape.reviewers.length === 0 ? shape.defaultReviewers : shape.reviewers;
  const participantNames = [...new Set([...defaults.filter((d) => d !== AUTHOR), ...shape.approvals, ...shape.changesRequested])];
  return {
    pullRequest: {
      state: shape.declined ? 'DECLINED' : 'OPEN',
      draft: shape.draft,
      title: `Shape ${index}`,
      authorUuid: uuidOf(AUTHOR),
      sourceBranch: `feature/shape-${index}`,
      destinationBranch: shape.destination,
    },
    participants: participantNames.map((n) => ({
      userUuid: uuidOf(n),
      approved: shape.approvals.includes(n),
      state: shape.approvals.includes(n) ? 'approved' : shape.changesRequested.includes(n) ? 'changes_requested' : null,
    })),
    statuses: shape.statuses.map((state, k) => ({ key: `build-${k}`, state })),
    tasks: shape.tasks.map((state) => ({ state })),
    restrictions,
    defaultReviewerUuids: shape.defaultReviewers.map(uuidOf),
    mainBranch: 'main',
    sourceBranchExists: !shape.sourceDeleted,
    destinationBranchExists: true,
    destinationAhead: shape.destinationAhead,
    mergerUuid: uuidOf(shape.merger),
    mergeStrategy: shape.strategy,
  };
}
