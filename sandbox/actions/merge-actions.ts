import { randomUUID } from 'node:crypto';
import { findMergeBase, isAncestor, listCommitsBetween, toAncestors } from '../state/graph';
import { SandboxError } from '../state/sandbox-error';
import { mergeTrees } from '../state/trees';
import type { Branch, Commit, MergeTask, PullRequest, Repository, User } from '../state/types';
import type { BranchMove } from '../webhooks/build-payloads';
import type { ActionContext, PullRequestRef } from './action-context';
import { findBranchRestrictions, findMergeCheckFailures, findMergePermissionFailures } from './merge-checks';

export type MergeStrategy = 'merge_commit' | 'squash' | 'fast_forward' | 'squash_fast_forward' | 'rebase_fast_forward' | 'rebase_merge';

export interface MergeOptions {
  mergeStrategy?: MergeStrategy;
  closeSourceBranch?: boolean;
  message?: string;
}

export interface MergeActions {
  /** Merges now; throws SandboxError 400 on failing merge checks or an impossible fast-forward. */
  merge(ref: PullRequestRef, actor: string, opts?: MergeOptions): PullRequest;
  /** Validates now, merges after `asyncMergeMs`; the task answers PENDING until then. */
  startMerge(ref: PullRequestRef, actor: string, opts?: MergeOptions): MergeTask;
}

const FF_ONLY: ReadonlySet<MergeStrategy> = new Set(['fast_forward', 'squash_fast_forward']);

export function createMergeActions(c: ActionContext): MergeActions {
  const { state } = c;

  const branchesOf = (repo: Repository, pr: PullRequest): { dest: Branch; source: Branch } => {
    const dest = c.findBranch(repo, pr.destination.branch);
    const source = c.findBranch(repo, pr.source.branch);
    if (!dest || !source) throw new SandboxError(409, 'Unable to merge because the source or destination branch no longer exists.');
    return { dest, source };
  };

  const check = (repo: Repository, pr: PullRequest, actor: User, strategy: MergeStrategy) => {
    c.requireOpen(pr);
    if (pr.draft) throw new SandboxError(400, 'You cannot merge a draft pull request.');
    const { dest, source } = branchesOf(repo, pr);
    const enforced = c.timings.enforceMergeChecks === 'always' || findBranchRestrictions(state, repo, dest.name, 'enforce_merge_checks').length > 0;
    const failures = [...findMergePermissionFailures(state, repo, pr, actor), ...(enforced ? findMergeCheckFailures(state, repo, pr) : [])];
    if (failures.length) {
      throw new SandboxError(400, `This pull request can't be merged until its merge checks pass: ${failures.join(' ')}`, undefined, { merge_checks: failures });
    }
    if (FF_ONLY.has(strategy) && !isAncestor(state, repo, dest.target, source.target)) {
      throw new SandboxError(400, `Unable to merge with strategy ${strategy}: ${dest.name} has commits that ${source.name} does not have, so a fast-forward is not possible.`);
    }
  };

  /** Copies the source-only commits onto `onto`, oldest first; returns the new tip. */
  const rebase = (repo: Repository, source: Branch, dest: Branch, actor: User): Commit => {
    const own = listCommitsBetween(state, repo, [source.target], [dest.target]).reverse();
    let tip = c.commitOf(repo, dest.target);
    for (const commit of own) {
      const parent = c.commitOf(repo, commit.parents[0] ?? tip.hash);
      tip = c.addCommit(repo, [tip.hash], commit.message, actor, mergeTrees(parent.tree, tip.tree, commit.tree));
    }
    return tip;
  };

  const doMerge = (ref: PullRequestRef, actorRef: string, opts: MergeOptions): PullRequest => {
    const { repo, pr, actor } = c.resolve(ref, actorRef);
    const strategy = opts.mergeStrategy ?? 'merge_commit';
    check(repo, pr, actor, strategy);
    const { dest, source } = branchesOf(repo, pr);
    const oldDest = c.commitOf(repo, dest.target);
    const sourceTip = c.commitOf(repo, source.target);
    const base = findMergeBase(state, repo, dest.target, source.target);
    const merged = mergeTrees(base?.tree ?? {}, oldDest.tree, sourceTip.tree);
    const message = opts.message ?? `Merged in ${source.name} (pull request #${pr.id})\n\n${pr.title}\n`;
    let newTip: Commit;
    switch (strategy) {
      case 'fast_forward':
        newTip = sourceTip;
        break;
      case 'squash':
      case 'squash_fast_forward':
        newTip = c.addCommit(repo, [oldDest.hash], message, actor, merged);
        break;
      case 'rebase_fast_forward':
        newTip = rebase(repo, source, dest, actor);
        break;
      case 'rebase_merge': {
        const rebased = rebase(repo, source, dest, actor);
        newTip = c.addCommit(repo, [oldDest.hash, rebased.hash], message, actor, rebased.tree);
        break;
      }
      default:
        newTip = c.addCommit(repo, [oldDest.hash, sourceTip.hash], message, actor, merged);
    }
    const pushed = listCommitsBetween(state, repo, [newTip.hash], [oldDest.hash]);
    dest.target = newTip.hash;
    const closeSource = opts.closeSourceBranch ?? pr.closeSourceBranch;
    const moves: BranchMove[] = [{ branch: dest.name, oldTarget: oldDest, newTarget: newTip, commits: pushed }];
    if (closeSource) {
      state.branches.splice(state.branches.indexOf(source), 1);
      moves.push({ branch: source.name, oldTarget: sourceTip, newTarget: null, commits: [] });
    }
    const date = c.stamp();
    Object.assign(pr, { state: 'MERGED', mergeCommit: newTip.hash, closedByUuid: actor.uuid, closeSourceBranch: closeSource, updatedOn: date });
    pr.destination.hash = oldDest.hash;
    repo.updatedOn = date;
    c.recordUpdate(repo, pr, actor);
    c.emitPush(repo, moves, actor);
    c.emitPr('pullrequest:fulfilled', repo, pr, actor);
    markContainedPullRequestsMerged(repo, pr, dest, newTip, actor, date);
    return pr;
  };

  /**
   * "Bitbucket will also mark any other pull requests that are composed only of commits from the
   * branch you are merging as 'merged'" (https://support.atlassian.com/bitbucket-cloud/docs/merge-a-pull-request/).
   * Read here as: open PRs into the same destination whose source tip is now on it. Unconfirmed:
   * whether Bitbucket does it within the merge or later in the background (docs/merge-queue.md).
   */
  const markContainedPullRequestsMerged = (repo: Repository, merged: PullRequest, dest: Branch, tip: Commit, actor: User, date: string) => {
    let onDestination: Set<string> | null = null;
    for (const other of state.pullRequests) {
      if (other === merged || other.repoUuid !== repo.uuid || other.state !== 'OPEN' || other.destination.branch !== dest.name) continue;
      const sourceTip = c.findBranch(repo, other.source.branch)?.target ?? other.source.hash;
      // One walk of the destination's history per merge, not one per open PR.
      onDestination ??= new Set(toAncestors(state, repo, tip.hash).map((x) => x.hash));
      if (!onDestination.has(sourceTip)) continue;
      Object.assign(other, { state: 'MERGED', mergeCommit: tip.hash, closedByUuid: actor.uuid, updatedOn: date });
      c.recordUpdate(repo, other, actor);
      c.emitPr('pullrequest:fulfilled', repo, other, actor);
    }
  };

  return {
    merge: (ref, actorRef, opts = {}) => doMerge(ref, actorRef, opts),

    startMerge(ref, actorRef, opts = {}) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      check(repo, pr, actor, opts.mergeStrategy ?? 'merge_commit');
      const destAtStart = branchesOf(repo, pr).dest.target;
      const task: MergeTask = { id: randomUUID(), repoUuid: repo.uuid, prId: pr.id, actorUuid: actor.uuid, status: 'PENDING', error: null };
      state.mergeTasks.push(task);
      c.scheduler.after(c.timings.asyncMergeMs, () => {
        try {
          const dest = c.findBranch(repo, pr.destination.branch);
          // A destination that moved under a fast-forward merge is Bitbucket's 409 "one of the refs changed".
          if (dest && dest.target !== destAtStart && FF_ONLY.has(opts.mergeStrategy ?? 'merge_commit')) {
            throw new SandboxError(409, 'Unable to merge because one of the refs involved changed while attempting to merge.');
          }
          doMerge(ref, actorRef, opts);
          task.status = 'SUCCESS';
        } catch (err) {
          task.status = 'FAILED';
          task.error = err instanceof SandboxError ? { status: err.status, message: err.message } : { status: 500, message: String(err) };
        }
      });
      return task;
    },
  };
}
