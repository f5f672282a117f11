import type { QueueEffect, QueueEvent } from './queue-event';
import type { QueueRepository } from './queue-repository';
import type { QueueKey, QueueMergeStrategy } from './queue-state';

/**
 * How the queue lands, from the effective policy of the queue's repository and branch
 * (policies' mergeQueue.strategy and mergeQueue.closeSourceBranch): the one source of both.
 */
export interface QueueLandingPolicy {
  strategy: QueueMergeStrategy;
  /** Delete each landed PR's source branch (true) or keep it (false); undefined: as each PR asks. */
  closeSourceBranch?: boolean | undefined;
}

export interface RunQueueEffectDeps {
  repository: QueueRepository;
  /** The policy's strategy and source-branch closing, read when a batch is built or landed; default merge_commit, as each PR asks. */
  landingPolicy?: (() => Promise<QueueLandingPolicy>) | undefined;
  /** Readiness of a PR against the current target (rules/evaluate-readiness): null when ready, else why not. */
  checkReady?: ((prId: number) => Promise<string | null>) | undefined;
  /** Waits between reads of a landed PR until Bitbucket marks it merged. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Reads of each landed PR before reporting it as landed anyway (its commits are on the target). */
  mergedPolls?: number | undefined;
}

/** The temporary branch of a batch: one per batch, so a rebuild never meets another batch's merges. */
export function toQueueBranchName(target: string, batchId: string): string {
  return `bosun-queue/${target}/${batchId}`;
}

/**
 * The message of the merge commit that adds a PR to a batch's temporary branch. Every merge but
 * the last carries `[skip ci]`: each merge is a push to that branch, and Pipelines' default
 * pipeline runs on every push unless the commit message holds `[skip ci]` or `[ci skip]`
 * (Atlassian, "Pipeline start conditions"), so only the batch's head, the commit the queue waits
 * for, starts a run. Once landed these commits are on the target, but only a push's head decides.
 */
export function toQueueMergeMessage(sourceBranch: string, prId: number, target: string, batchId: string, skipCi: boolean): string {
  return `Merged in ${sourceBranch} (pull request #${prId}) for the ${target} merge queue, batch ${batchId}${skipCi ? ' [skip ci]' : ''}`;
}

/**
 * Why a PR was ejected when its fast-forward onto the batch's branch was refused: names the policy's
 * setting (so people know where it lives) and what it means. `notFastForward` (the Bitbucket
 * adapter's reading of the answer): the branch has commits the PR lacks; `onTargetHead`: the PR was
 * first on the target's own head, so the target moved since the PR branched off.
 */
export function toFastForwardRefusalText(target: string, sourceBranch: string, onTargetHead: boolean, refusal: { message: string; notFastForward: boolean }): string {
  const setting = `The policy's mergeQueue.strategy is fast_forward: each PR goes in by fast-forward only (no merge commit), so its source branch must already hold everything that lands ahead of it.`;
  if (!refusal.notFastForward) return `${setting} Bitbucket refused to fast-forward ${sourceBranch}: ${refusal.message}`;
  const why = onTargetHead
    ? `${sourceBranch} is not based on the head of ${target} (${target} moved since it branched off), so it is not a fast-forward`
    : `${sourceBranch} lacks commits of the PRs ahead of it in the ${target} queue, so it is not a fast-forward`;
  return `${setting} ${why}: rebase it and queue it again (Bitbucket: ${refusal.message}).`;
}

const sameCommit = (a: string | null, b: string | null) => a !== null && b !== null && (a.startsWith(b) || b.startsWith(a));

/**
 * How many of a batch's PRs, in order, are already merged into its temporary branch at their
 * current commit (each by its helper PR, which an earlier worker merged before it stopped).
 */
async function countMergedHelpers(repo: QueueRepository, temp: string, prIds: number[]): Promise<number> {
  let done = 0;
  for (const prId of prIds) {
    const pr = await repo.getPullRequest(prId);
    if (pr.state !== 'OPEN') break;
    const helper = await repo.findMergedPullRequest(pr.sourceBranch, temp);
    if (!helper || !sameCommit(helper.sourceCommit, pr.sourceCommit)) break;
    done++;
  }
  return done;
}

/**
 * Runs one effect of the queue against Bitbucket and says what happened, as events to apply next.
 * Safe to repeat (a resumed worker runs the same effect again): a batch's build goes on from the
 * helper merges already made on its branch (one head, one CI run), a landing whose commit is already
 * the target's head is not merged again.
 */
export async function runQueueEffect(key: QueueKey, effect: QueueEffect, deps: RunQueueEffectDeps): Promise<QueueEvent[]> {
  const repo = deps.repository;
  switch (effect.type) {
    case 'build-batch': {
      const temp = toQueueBranchName(key.branch, effect.batchId);
      const base = effect.base.kind === 'batch' ? effect.base.commit : await repo.getBranchHead(key.branch);
      if (!base) return [{ type: 'batch-build-failed', batchId: effect.batchId, prId: null, reason: `The branch ${key.branch} does not exist.` }];
      // A worker that takes over a build goes on from the merges the first one made: rebuilding would
      // push a new head and start a second CI run for the same batch (the first one's run is wasted).
      const { strategy } = (await deps.landingPolicy?.()) ?? { strategy: 'merge_commit' };
      const done = (await repo.getBranchHead(temp)) !== null ? await countMergedHelpers(repo, temp, effect.prIds) : 0;
      if (done === 0) {
        if ((await repo.getBranchHead(temp)) !== null) await repo.deleteBranch(temp);
        await repo.createBranch(temp, base);
      }
      for (const [i, prId] of effect.prIds.entries()) {
        if (i < done) continue;
        const pr = await repo.getPullRequest(prId);
        if (pr.state !== 'OPEN') return [{ type: 'batch-build-failed', batchId: effect.batchId, prId, reason: `The pull request is ${pr.state.toLowerCase()}.` }];
        const helper = (await repo.findOpenPullRequest(pr.sourceBranch, temp)) ?? (await repo.createPullRequest({
          title: `Bosun merge queue: #${prId} into ${temp}`,
          description: `Tests #${prId} together with the pull requests ahead of it in the ${key.branch} queue. Bosun deletes this branch when the batch is done.`,
          sourceBranch: pr.sourceBranch,
          destinationBranch: temp,
        }));
        // A fast-forward makes no commit, so it carries no message: the temporary branch's head is the PR's own.
        const merged = strategy === 'fast_forward'
          ? await repo.mergePullRequest(helper.id, 'fast_forward')
          : await repo.mergePullRequest(helper.id, 'merge_commit', toQueueMergeMessage(pr.sourceBranch, prId, key.branch, effect.batchId, i < effect.prIds.length - 1));
        if (!merged.ok) {
          const reason = strategy === 'fast_forward' ? toFastForwardRefusalText(key.branch, pr.sourceBranch, i === 0 && effect.base.kind !== 'batch', merged) : merged.message;
          return [{ type: 'batch-build-failed', batchId: effect.batchId, prId, reason }];
        }
      }
      const commit = await repo.getBranchHead(temp);
      if (!commit) return [{ type: 'batch-build-failed', batchId: effect.batchId, prId: null, reason: `The branch ${temp} disappeared while it was built.` }];
      return [{ type: 'batch-built', batchId: effect.batchId, commit }];
    }
    case 'land-batch': {
      const temp = toQueueBranchName(key.branch, effect.batchId);
      const landed = { type: 'land-result', batchId: effect.batchId, decisionId: effect.decisionId, outcome: 'merged' } as const;
      const head = await repo.getBranchHead(key.branch);
      if (head !== effect.commit) {
        for (const prId of effect.prIds) {
          const why = (await deps.checkReady?.(prId)) ?? null;
          if (why) return [{ type: 'land-result', batchId: effect.batchId, decisionId: effect.decisionId, outcome: 'rejected', prId, reason: why }];
        }
        if ((await repo.getBranchHead(temp)) !== effect.commit) {
          return [{ type: 'land-result', batchId: effect.batchId, decisionId: effect.decisionId, outcome: 'stale', reason: `${temp} no longer holds the tested commit.` }];
        }
        const landing = (await repo.findOpenPullRequest(temp, key.branch)) ?? (await repo.createPullRequest({
          title: `Bosun merge queue: ${effect.prIds.map((id) => `#${id}`).join(', ')} into ${key.branch}`,
          description: `Lands the tested commit ${effect.commit} by fast-forward.`,
          sourceBranch: temp,
          destinationBranch: key.branch,
        }));
        const merged = await repo.mergePullRequest(landing.id, 'fast_forward');
        if (!merged.ok) {
          // The fast-forward is refused when the target moved: never land untested, rebuild instead.
          const moved = (await repo.getBranchHead(key.branch)) !== head;
          if (moved || merged.status === 409 || merged.notFastForward) {
            return [{ type: 'land-result', batchId: effect.batchId, decisionId: effect.decisionId, outcome: 'stale', reason: merged.message }];
          }
          return [{ type: 'land-result', batchId: effect.batchId, decisionId: effect.decisionId, outcome: 'rejected', prId: effect.prIds[0]!, reason: merged.message }];
        }
      }
      // Bitbucket marks the queued PRs merged itself (docs/merge-queue.md); wait until it shows.
      const polls = deps.mergedPolls ?? 10;
      const closeSourceBranch = (await deps.landingPolicy?.())?.closeSourceBranch;
      for (const prId of effect.prIds) {
        let pr = await repo.getPullRequest(prId);
        for (let i = 0; i < polls && pr.state === 'OPEN'; i++) {
          await deps.sleep?.(1_000);
          pr = await repo.getPullRequest(prId);
        }
        // Bitbucket closes a source branch when it merges a PR that asks for it; a PR it only marks
        // merged (its commits landed another way) is not documented to, so the queue does it: as the
        // policy says, else as the PR asked.
        if (pr.state === 'MERGED' && (closeSourceBranch ?? pr.closeSourceBranch) && pr.sourceBranch && pr.sourceBranch !== key.branch) await repo.deleteBranch(pr.sourceBranch);
      }
      await repo.deleteBranch(temp);
      return [landed];
    }
    case 'cancel-batch':
      await repo.deleteBranch(toQueueBranchName(key.branch, effect.batchId));
      return [];
    case 'notify':
      return [];
  }
}
