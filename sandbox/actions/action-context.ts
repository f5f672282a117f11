import type { Scheduler } from '../scheduler/create-scheduler';
import type { ApiContext } from '../serialize/api-context';
import { toBitbucketDate } from '../state/dates';
import { toCommitHash } from '../state/ids';
import { getCommit, getPullRequest, getRepository, getUser, getWorkspaceOf } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { Tree } from '../state/trees';
import type { Branch, Commit, Participant, PullRequest, Repository, SandboxState, User } from '../state/types';
import { type BranchMove, toPullRequestPayload, toPushPayload } from '../webhooks/build-payloads';
import type { WebhookDispatcher } from '../webhooks/create-webhook-dispatcher';

export interface PullRequestRef {
  workspace: string;
  repo: string;
  id: number;
}

export interface ActionTimings {
  /** time per pipeline transition (PENDING → IN_PROGRESS → each step → COMPLETED) */
  pipelineStepMs: number;
  /** how long an async merge task answers PENDING */
  asyncMergeMs: number;
  /** 'always': failing merge checks refuse the merge; 'premium': only when an enforce_merge_checks restriction matches */
  enforceMergeChecks: 'always' | 'premium';
}

export interface ActionsDeps {
  ctx: ApiContext;
  now: () => Date;
  webhooks: WebhookDispatcher;
  scheduler: Scheduler;
  timings: ActionTimings;
}

/** Helpers every action module shares; built once per sandbox. */
export interface ActionContext extends ActionsDeps {
  state: SandboxState;
  stamp(): string;
  emit(event: string, repo: Repository, payload: Record<string, unknown>): void;
  emitPr(event: string, repo: Repository, pr: PullRequest, actor: User, extra?: Record<string, unknown>): void;
  emitPush(repo: Repository, moves: BranchMove[], actor: User): void;
  findBranch(repo: Repository, name: string): Branch | undefined;
  addCommit(repo: Repository, parents: string[], message: string, author: User, tree: Tree): Commit;
  commitOf(repo: Repository, hash: string): Commit;
  resolveRepo(workspace: string, repo: string): Repository;
  resolve(ref: PullRequestRef, actorRef: string): { repo: Repository; pr: PullRequest; actor: User };
  requireOpen(pr: PullRequest): void;
  ensureParticipant(pr: PullRequest, user: User): Participant;
  recordUpdate(repo: Repository, pr: PullRequest, actor: User): void;
}

export function createActionContext(deps: ActionsDeps): ActionContext {
  const { ctx, now, webhooks } = deps;
  const { state } = ctx;
  const stamp = () => toBitbucketDate(now());
  const emit = (event: string, repo: Repository, payload: Record<string, unknown>) =>
    webhooks.emit(event, getWorkspaceOf(state, repo).uuid, payload, repo.uuid);
  return {
    ...deps,
    state,
    stamp,
    emit,
    emitPr: (event, repo, pr, actor, extra = {}) => emit(event, repo, { ...toPullRequestPayload(ctx, repo, pr, actor), ...extra }),
    emitPush: (repo, moves, actor) => emit('repo:push', repo, toPushPayload(ctx, repo, moves, actor)),
    findBranch: (repo, name) => state.branches.find((b) => b.repoUuid === repo.uuid && b.name === name),
    addCommit(repo, parents, message, author, tree) {
      const date = stamp();
      const commit: Commit = {
        repoUuid: repo.uuid,
        hash: toCommitHash(`${repo.uuid}|${parents.join(',')}|${message}|${date}|${state.commits.length}`),
        parents,
        message: message.endsWith('\n') ? message : `${message}\n`,
        authorUuid: author.uuid,
        date,
        tree,
      };
      state.commits.push(commit);
      return commit;
    },
    commitOf: (repo, hash) => getCommit(state, repo, hash),
    resolveRepo: (workspace, repo) => getRepository(state, workspace, repo),
    resolve(ref, actorRef) {
      const repo = getRepository(state, ref.workspace, ref.repo);
      const pr = getPullRequest(state, repo, ref.id);
      const actor = getUser(state, actorRef);
      return { repo, pr, actor };
    },
    requireOpen(pr) {
      if (pr.state !== 'OPEN') throw new SandboxError(400, `This pull request is already ${pr.state.toLowerCase()}.`);
    },
    ensureParticipant(pr, user) {
      let p = pr.participants.find((x) => x.userUuid === user.uuid);
      if (!p) {
        p = { userUuid: user.uuid, role: pr.reviewerUuids.includes(user.uuid) ? 'REVIEWER' : 'PARTICIPANT', approved: false, state: null, participatedOn: null };
        pr.participants.push(p);
      }
      return p;
    },
    recordUpdate(repo, pr, actor) {
      state.prUpdates.push({
        repoUuid: repo.uuid, prId: pr.id, date: pr.updatedOn, authorUuid: actor.uuid, state: pr.state, title: pr.title,
        description: pr.description, reason: pr.reason, sourceBranch: pr.source.branch, destinationBranch: pr.destination.branch,
      });
    },
  };
}
