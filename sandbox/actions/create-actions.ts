import type { ApiContext } from '../serialize/api-context';
import { toBitbucketDate } from '../state/dates';
import { toBracedUuid, toCommitHash } from '../state/ids';
import { getCommit, getPullRequest, getRepository, getUser, getWorkspaceOf } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { Commit, CommitStatus, CommitStatusState, Participant, PullRequest, PullRequestComment, Repository, User } from '../state/types';
import {
  type BranchMove,
  toApprovalPayload,
  toCommentPayload,
  toCommitStatusPayload,
  toPullRequestPayload,
  toPushPayload,
} from '../webhooks/build-payloads';
import type { WebhookDispatcher } from '../webhooks/create-webhook-dispatcher';

export interface PullRequestRef {
  workspace: string;
  repo: string;
  id: number;
}

export type MergeStrategy = 'merge_commit' | 'squash' | 'fast_forward' | 'squash_fast_forward' | 'rebase_fast_forward' | 'rebase_merge';

export interface SandboxActions {
  createPullRequest(input: {
    workspace: string;
    repo: string;
    actor: string;
    title: string;
    description?: string;
    sourceBranch: string;
    destinationBranch?: string;
    reviewers?: string[];
    draft?: boolean;
    closeSourceBranch?: boolean;
  }): PullRequest;
  updatePullRequest(ref: PullRequestRef, actor: string, changes: { title?: string; description?: string; draft?: boolean }): PullRequest;
  approve(ref: PullRequestRef, actor: string): Participant;
  unapprove(ref: PullRequestRef, actor: string): void;
  requestChanges(ref: PullRequestRef, actor: string): Participant;
  removeChangeRequest(ref: PullRequestRef, actor: string): void;
  merge(ref: PullRequestRef, actor: string, opts?: { mergeStrategy?: MergeStrategy; closeSourceBranch?: boolean; message?: string }): PullRequest;
  decline(ref: PullRequestRef, actor: string, reason?: string): PullRequest;
  addComment(ref: PullRequestRef, actor: string, raw: string): PullRequestComment;
  setCommitStatus(input: {
    workspace: string;
    repo: string;
    commit: string;
    actor: string;
    key: string;
    state: CommitStatusState;
    name?: string;
    url?: string;
    description?: string;
    refname?: string;
  }): { status: CommitStatus; created: boolean };
  /** Adds a commit on top of a branch (creating it from the main branch if new); fires repo:push and pullrequest:updated. */
  pushCommit(input: { workspace: string; repo: string; branch: string; actor: string; message: string }): Commit;
}

export interface ActionsDeps {
  ctx: ApiContext;
  now: () => Date;
  webhooks: WebhookDispatcher;
}

export function createActions({ ctx, now, webhooks }: ActionsDeps): SandboxActions {
  const { state } = ctx;
  const stamp = () => toBitbucketDate(now());
  const wsOf = (repo: Repository) => getWorkspaceOf(state, repo).uuid;

  const resolve = (ref: PullRequestRef, actorRef: string) => {
    const repo = getRepository(state, ref.workspace, ref.repo);
    const pr = getPullRequest(state, repo, ref.id);
    const actor = getUser(state, actorRef);
    return { repo, pr, actor };
  };
  const requireOpen = (pr: PullRequest) => {
    if (pr.state !== 'OPEN') throw new SandboxError(400, `This pull request is already ${pr.state.toLowerCase()}.`);
  };
  const ensureParticipant = (pr: PullRequest, user: User): Participant => {
    let p = pr.participants.find((x) => x.userUuid === user.uuid);
    if (!p) {
      p = { userUuid: user.uuid, role: pr.reviewerUuids.includes(user.uuid) ? 'REVIEWER' : 'PARTICIPANT', approved: false, state: null, participatedOn: null };
      pr.participants.push(p);
    }
    return p;
  };
  const emitPr = (event: string, repo: Repository, payload: Record<string, unknown>) => webhooks.emit(event, wsOf(repo), payload);

  const getBranch = (repo: Repository, name: string) => state.branches.find((b) => b.repoUuid === repo.uuid && b.name === name);
  const addCommit = (repo: Repository, parents: string[], message: string, author: User): Commit => {
    const date = stamp();
    const commit: Commit = {
      repoUuid: repo.uuid,
      hash: toCommitHash(`${repo.uuid}|${parents.join(',')}|${message}|${date}|${state.commits.length}`),
      parents,
      message: message.endsWith('\n') ? message : `${message}\n`,
      authorUuid: author.uuid,
      date,
    };
    state.commits.push(commit);
    return commit;
  };
  const isAncestor = (repo: Repository, ancestor: string, of: string): boolean => {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length) {
      const h = stack.pop()!;
      if (h === ancestor) return true;
      if (seen.has(h)) continue;
      seen.add(h);
      const c = state.commits.find((x) => x.repoUuid === repo.uuid && x.hash === h);
      if (c) stack.push(...c.parents);
    }
    return false;
  };
  const commitOf = (repo: Repository, hash: string) => getCommit(state, repo, hash);
  const emitPush = (repo: Repository, moves: BranchMove[], actor: User) =>
    webhooks.emit('repo:push', wsOf(repo), toPushPayload(ctx, repo, moves, actor));

  const actions: SandboxActions = {
    createPullRequest(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const destinationBranch = input.destinationBranch ?? repo.mainbranch;
      const source = getBranch(repo, input.sourceBranch);
      if (!source) throw new SandboxError(400, `Branch not found: ${input.sourceBranch}`, { fields: { source: ['Branch not found'] } });
      const destination = getBranch(repo, destinationBranch);
      if (!destination) throw new SandboxError(400, `Branch not found: ${destinationBranch}`);
      if (source.name === destination.name) throw new SandboxError(400, 'Source and destination branches must be different.');
      if (!input.title.trim()) throw new SandboxError(400, 'title: This field is required.');
      const reviewers = (input.reviewers ?? []).map((r) => getUser(state, r));
      if (reviewers.some((r) => r.uuid === actor.uuid)) throw new SandboxError(400, `${actor.displayName} is the author and cannot be included as a reviewer.`);
      const id = Math.max(0, ...state.pullRequests.filter((p) => p.repoUuid === repo.uuid).map((p) => p.id)) + 1;
      const now = stamp();
      const pr: PullRequest = {
        repoUuid: repo.uuid,
        id,
        title: input.title,
        description: input.description ?? '',
        state: 'OPEN',
        draft: input.draft ?? false,
        authorUuid: actor.uuid,
        source: { branch: source.name, hash: source.target },
        destination: { branch: destination.name, hash: destination.target },
        reviewerUuids: reviewers.map((r) => r.uuid),
        participants: reviewers.map((r) => ({ userUuid: r.uuid, role: 'REVIEWER', approved: false, state: null, participatedOn: null })),
        closeSourceBranch: input.closeSourceBranch ?? false,
        mergeCommit: null,
        closedByUuid: null,
        reason: '',
        taskCount: 0,
        createdOn: now,
        updatedOn: now,
      };
      state.pullRequests.push(pr);
      emitPr('pullrequest:created', repo, toPullRequestPayload(ctx, repo, pr, actor));
      return pr;
    },

    updatePullRequest(ref, actorRef, changes) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      if (changes.title !== undefined) pr.title = changes.title;
      if (changes.description !== undefined) pr.description = changes.description;
      if (changes.draft !== undefined) pr.draft = changes.draft;
      pr.updatedOn = stamp();
      emitPr('pullrequest:updated', repo, toPullRequestPayload(ctx, repo, pr, actor));
      return pr;
    },

    approve(ref, actorRef) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      if (pr.authorUuid === actor.uuid) throw new SandboxError(400, "You can't approve your own pull request.");
      const p = ensureParticipant(pr, actor);
      if (p.approved) return p;
      const date = stamp();
      Object.assign(p, { approved: true, state: 'approved', participatedOn: date });
      pr.updatedOn = date;
      emitPr('pullrequest:approved', repo, toApprovalPayload(ctx, repo, pr, actor, date, 'approval'));
      return p;
    },

    unapprove(ref, actorRef) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      const p = pr.participants.find((x) => x.userUuid === actor.uuid);
      if (!p?.approved) throw new SandboxError(404, 'You have not approved this pull request.');
      const date = stamp();
      Object.assign(p, { approved: false, state: null });
      pr.updatedOn = date;
      emitPr('pullrequest:unapproved', repo, toApprovalPayload(ctx, repo, pr, actor, date, 'approval'));
    },

    requestChanges(ref, actorRef) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      if (pr.authorUuid === actor.uuid) throw new SandboxError(400, "You can't request changes on your own pull request.");
      const p = ensureParticipant(pr, actor);
      if (p.state === 'changes_requested') return p;
      const date = stamp();
      Object.assign(p, { approved: false, state: 'changes_requested', participatedOn: date });
      pr.updatedOn = date;
      emitPr('pullrequest:changes_request_created', repo, toApprovalPayload(ctx, repo, pr, actor, date, 'changes_request'));
      return p;
    },

    removeChangeRequest(ref, actorRef) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      const p = pr.participants.find((x) => x.userUuid === actor.uuid);
      if (p?.state !== 'changes_requested') throw new SandboxError(404, 'You have not requested changes on this pull request.');
      const date = stamp();
      p.state = null;
      pr.updatedOn = date;
      emitPr('pullrequest:changes_request_removed', repo, toApprovalPayload(ctx, repo, pr, actor, date, 'changes_request'));
    },

    merge(ref, actorRef, opts = {}) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      if (pr.draft) throw new SandboxError(400, 'You cannot merge a draft pull request.');
      const dest = getBranch(repo, pr.destination.branch);
      const source = getBranch(repo, pr.source.branch);
      if (!dest || !source) throw new SandboxError(409, 'The source or destination branch no longer exists.');
      const strategy = opts.mergeStrategy ?? 'merge_commit';
      const oldDest = commitOf(repo, dest.target);
      const message = opts.message ?? `Merged in ${source.name} (pull request #${pr.id})\n\n${pr.title}\n`;
      let newTip: Commit;
      if (strategy === 'fast_forward') {
        if (!isAncestor(repo, dest.target, source.target)) throw new SandboxError(400, 'Fast-forward merge is not possible: the destination branch has diverged.');
        newTip = commitOf(repo, source.target);
      } else if (strategy === 'merge_commit' || strategy === 'rebase_merge') {
        newTip = addCommit(repo, [dest.target, source.target], message, actor);
      } else {
        newTip = addCommit(repo, [dest.target], message, actor);
      }
      dest.target = newTip.hash;
      const closeSource = opts.closeSourceBranch ?? pr.closeSourceBranch;
      const moves: BranchMove[] = [{ branch: dest.name, oldTarget: oldDest, newTarget: newTip, commits: [newTip] }];
      if (closeSource) {
        const oldSource = commitOf(repo, source.target);
        state.branches.splice(state.branches.indexOf(source), 1);
        moves.push({ branch: source.name, oldTarget: oldSource, newTarget: null, commits: [] });
      }
      const date = stamp();
      Object.assign(pr, { state: 'MERGED', mergeCommit: newTip.hash, closedByUuid: actor.uuid, closeSourceBranch: closeSource, updatedOn: date });
      pr.destination.hash = oldDest.hash;
      repo.updatedOn = date;
      emitPush(repo, moves, actor);
      emitPr('pullrequest:fulfilled', repo, toPullRequestPayload(ctx, repo, pr, actor));
      return pr;
    },

    decline(ref, actorRef, reason) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      requireOpen(pr);
      Object.assign(pr, { state: 'DECLINED', closedByUuid: actor.uuid, reason: reason ?? '', updatedOn: stamp() });
      emitPr('pullrequest:rejected', repo, toPullRequestPayload(ctx, repo, pr, actor));
      return pr;
    },

    addComment(ref, actorRef, raw) {
      const { repo, pr, actor } = resolve(ref, actorRef);
      if (!raw.trim()) throw new SandboxError(400, 'content.raw: This field is required.');
      const date = stamp();
      const comment: PullRequestComment = { repoUuid: repo.uuid, prId: pr.id, id: state.nextCommentId++, userUuid: actor.uuid, raw, createdOn: date, updatedOn: date };
      state.comments.push(comment);
      if (actor.uuid !== pr.authorUuid) ensureParticipant(pr, actor).participatedOn ??= date;
      emitPr('pullrequest:comment_created', repo, toCommentPayload(ctx, repo, pr, comment, actor));
      return comment;
    },

    setCommitStatus(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const commit = getCommit(state, repo, input.commit);
      if (!input.key || input.key.length > 40) throw new SandboxError(400, 'key: Ensure this value has at most 40 characters and is not empty.');
      const date = stamp();
      let status = state.statuses.find((s) => s.repoUuid === repo.uuid && s.commitHash === commit.hash && s.key === input.key);
      const created = !status;
      if (!status) {
        status = {
          uuid: toBracedUuid(`${repo.uuid}|${commit.hash}|${input.key}`),
          repoUuid: repo.uuid,
          commitHash: commit.hash,
          key: input.key,
          name: input.name ?? input.key,
          state: input.state,
          url: input.url ?? '',
          description: input.description ?? '',
          refname: input.refname ?? null,
          createdOn: date,
          updatedOn: date,
        };
        state.statuses.push(status);
      } else {
        Object.assign(status, {
          state: input.state,
          updatedOn: date,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.url !== undefined ? { url: input.url } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.refname !== undefined ? { refname: input.refname } : {}),
        });
      }
      webhooks.emit(created ? 'repo:commit_status_created' : 'repo:commit_status_updated', wsOf(repo), toCommitStatusPayload(ctx, repo, status, actor));
      return { status, created };
    },

    pushCommit(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      let branch = getBranch(repo, input.branch);
      const oldTarget = branch ? commitOf(repo, branch.target) : null;
      const base = branch?.target ?? getBranch(repo, repo.mainbranch)?.target;
      if (!base) throw new SandboxError(400, `Branch not found: ${repo.mainbranch}`);
      const commit = addCommit(repo, [base], input.message, actor);
      if (branch) branch.target = commit.hash;
      else state.branches.push((branch = { repoUuid: repo.uuid, name: input.branch, target: commit.hash }));
      emitPush(repo, [{ branch: branch.name, oldTarget, newTarget: commit, commits: [commit] }], actor);
      for (const pr of state.pullRequests.filter((p) => p.repoUuid === repo.uuid && p.state === 'OPEN' && p.source.branch === branch.name)) {
        pr.source.hash = commit.hash;
        pr.updatedOn = commit.date;
        emitPr('pullrequest:updated', repo, toPullRequestPayload(ctx, repo, pr, actor));
      }
      return commit;
    },
  };
  return actions;
}
