import { toReadinessInput } from './agent/readiness/to-readiness-input';
import type { BitbucketClient } from './bitbucket';
import { loadBosunFile } from './create-rule-services';
import type { MergeQueueStore, QueueKey } from './merge-queue';
import { parseBosunFile, resolvePolicy, toReadinessPolicy, type PolicyScope, type PolicyStore } from './policies';
import { evaluateReadiness, READINESS_STATUS_KEY, type ReadinessCondition } from './rules';

export interface QueuePreLandCheckDeps {
  /** The tenant's installation client (the queue acts as the app). */
  clientFor(key: QueueKey): Promise<BitbucketClient>;
  policies: PolicyStore;
  store: MergeQueueStore;
  now: () => Date;
}

/**
 * The PR's own builds on its source commit: the queue has just tested the PR merged onto the
 * target (its batch's CI passed on the tested commit), which is what lands, so builds of the PR
 * alone still running do not hold the landing. Failed ones do (the oracle says "blocked").
 */
const SUPERSEDED_BY_QUEUE_CI: ReadonlySet<ReadinessCondition['id']> = new Set(['builds', 'policy-builds']);

/**
 * Before a batch lands, each of its PRs is checked again with the full readiness oracle
 * (rules/evaluate-readiness) against the current target: the PR as it is now, the target's branch
 * restrictions, default reviewers, tasks, the PR's statuses and the effective policy (workspace and
 * repository layers, the target's bosun.yml). Every blocker counts, enforced by Bitbucket or not (the landing merges the
 * tested commit through a landing pull request, so Bitbucket never runs the queued PRs' own merge
 * checks), as in the Forge merge check. Null when the PR may land, else why not (the queue ejects
 * it with that reason, shown in its sticky comment).
 */
export function createQueuePreLandCheck(deps: QueuePreLandCheckDeps): (key: QueueKey, prId: number) => Promise<string | null> {
  return async (key, prId) => {
    const [workspace = '', slug = key.repository] = key.repository.split('/');
    const client = await deps.clientFor(key);
    const [pr, state] = await Promise.all([client.pullRequests.get(workspace, slug, prId), deps.store.load(key)]);
    if (pr.state !== 'OPEN') return `The pull request is ${pr.state.toLowerCase()}.`;
    // Still the commit that was queued and tested (a new push ejects it; this catches a missed webhook).
    const queued = state?.entries.find((e) => e.prId === prId && (e.state === 'waiting' || e.state === 'batched'))?.sourceCommit;
    const head = pr.source.commit?.hash ?? null;
    if (queued && head && !queued.startsWith(head) && !head.startsWith(queued)) return `A new commit (${head.slice(0, 12)}) was pushed after the PR was queued.`;
    if ((pr.destination.branch?.name ?? key.branch) !== key.branch) return `The pull request now targets ${pr.destination.branch?.name ?? 'another branch'}, not ${key.branch}.`;

    const repositoryUuid = pr.destination.repository?.uuid ?? null;
    const [repository, restrictions, defaultReviewers, tasks, statuses, workspaceLayer, repositoryLayer, bosunFile] = await Promise.all([
      client.repositories.get(workspace, slug),
      client.branchRestrictions.list(workspace, slug),
      client.defaultReviewers.list(workspace, slug),
      client.pullRequests.listTasks(workspace, slug, prId),
      head ? client.statuses.listForCommit(workspace, slug, head) : Promise.resolve([]),
      deps.policies.get(key.clientKey, 'workspace'),
      repositoryUuid ? deps.policies.get(key.clientKey, repositoryUuid as PolicyScope) : Promise.resolve(null),
      // The target branch's bosun.yml, as the rules read it (never the PR's source branch).
      loadBosunFile(client, workspace, slug, key.branch),
    ]);
    const { policy } = resolvePolicy([{ source: 'workspace', data: workspaceLayer?.layer }, { source: 'repository', data: repositoryLayer?.layer }, parseBosunFile(bosunFile)]);
    const readiness = evaluateReadiness(
      toReadinessInput(pr, {
        statuses,
        restrictions,
        defaultReviewerUuids: defaultReviewers.flatMap((a) => (a.uuid ? [a.uuid] : [])),
        mainBranch: repository.mainbranch?.name ?? null,
        tasks: tasks.map((t) => ({ state: t.state === 'RESOLVED' ? 'RESOLVED' : 'UNRESOLVED' })),
      }),
      { enforcement: 'always', policy: toReadinessPolicy(policy), now: deps.now(), ownStatusKeys: [READINESS_STATUS_KEY] },
    );
    const holding = readiness.blockers.filter((c) => !(c.status === 'pending' && SUPERSEDED_BY_QUEUE_CI.has(c.id)));
    if (holding.length === 0) return null;
    return `Not ready to merge into ${key.branch} when its batch was about to land (readiness checked again): ${holding.map((c) => c.message).join(' ')}`;
  };
}
