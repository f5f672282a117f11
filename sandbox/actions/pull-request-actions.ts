import { getUser } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { Participant, PullRequest, User } from '../state/types';
import { toApprovalPayload } from '../webhooks/build-payloads';
import type { ActionContext, PullRequestRef } from './action-context';

export interface PullRequestChanges {
  title?: string;
  description?: string;
  draft?: boolean;
  destinationBranch?: string;
  /** replaces the reviewer list (uuid, account_id or nickname) */
  reviewers?: string[];
  closeSourceBranch?: boolean;
}

export interface PullRequestActions {
  /** Without reviewers, the repository's default reviewers are added (minus the author), as Bitbucket does. */
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
  updatePullRequest(ref: PullRequestRef, actor: string, changes: PullRequestChanges): PullRequest;
  approve(ref: PullRequestRef, actor: string): Participant;
  unapprove(ref: PullRequestRef, actor: string): void;
  requestChanges(ref: PullRequestRef, actor: string): Participant;
  removeChangeRequest(ref: PullRequestRef, actor: string): void;
  decline(ref: PullRequestRef, actor: string, reason?: string): PullRequest;
}

export function createPullRequestActions(c: ActionContext): PullRequestActions {
  const { state } = c;

  const toReviewers = (refs: string[], author: User): User[] => {
    const reviewers = [...new Map(refs.map((r) => getUser(state, r)).map((u) => [u.uuid, u])).values()];
    if (reviewers.some((r) => r.uuid === author.uuid)) throw new SandboxError(400, `${author.displayName} is the author and cannot be included as a reviewer.`);
    if (reviewers.some((r) => r.kind === 'app_user')) throw new SandboxError(400, 'App users cannot be added as reviewers.');
    return reviewers;
  };

  const setReviewers = (pr: PullRequest, reviewers: User[]) => {
    pr.reviewerUuids = reviewers.map((r) => r.uuid);
    // Former reviewers who took part stay as participants; untouched ones disappear.
    pr.participants = pr.participants
      .map((p) => ({ ...p, role: pr.reviewerUuids.includes(p.userUuid) ? ('REVIEWER' as const) : ('PARTICIPANT' as const) }))
      .filter((p) => p.role === 'REVIEWER' || p.state !== null || p.participatedOn !== null);
    for (const r of reviewers) {
      if (!pr.participants.some((p) => p.userUuid === r.uuid)) pr.participants.push({ userUuid: r.uuid, role: 'REVIEWER', approved: false, state: null, participatedOn: null });
    }
  };

  return {
    createPullRequest(input) {
      const repo = c.resolveRepo(input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const destinationBranch = input.destinationBranch ?? repo.mainbranch;
      const source = c.findBranch(repo, input.sourceBranch);
      if (!source) throw new SandboxError(400, `Branch not found: ${input.sourceBranch}`, { fields: { source: ['Branch not found'] } });
      const destination = c.findBranch(repo, destinationBranch);
      if (!destination) throw new SandboxError(400, `Branch not found: ${destinationBranch}`);
      if (source.name === destination.name) throw new SandboxError(400, 'Source and destination branches must be different.');
      if (!input.title.trim()) throw new SandboxError(400, 'title: This field is required.');
      const explicit = toReviewers(input.reviewers ?? [], actor);
      const reviewers = explicit.length
        ? explicit
        : state.defaultReviewers.filter((d) => d.repoUuid === repo.uuid && d.userUuid !== actor.uuid).map((d) => getUser(state, d.userUuid));
      const id = Math.max(0, ...state.pullRequests.filter((p) => p.repoUuid === repo.uuid).map((p) => p.id)) + 1;
      const now = c.stamp();
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
        reviewerUuids: [],
        participants: [],
        closeSourceBranch: input.closeSourceBranch ?? false,
        mergeCommit: null,
        closedByUuid: null,
        reason: '',
        createdOn: now,
        updatedOn: now,
      };
      setReviewers(pr, reviewers);
      state.pullRequests.push(pr);
      c.recordUpdate(repo, pr, actor);
      c.emitPr('pullrequest:created', repo, pr, actor);
      return pr;
    },

    updatePullRequest(ref, actorRef, changes) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      c.requireOpen(pr);
      if (changes.title !== undefined) {
        if (!changes.title.trim()) throw new SandboxError(400, 'title: This field may not be blank.');
        pr.title = changes.title;
      }
      if (changes.description !== undefined) pr.description = changes.description;
      if (changes.draft !== undefined) pr.draft = changes.draft;
      if (changes.closeSourceBranch !== undefined) pr.closeSourceBranch = changes.closeSourceBranch;
      if (changes.destinationBranch !== undefined && changes.destinationBranch !== pr.destination.branch) {
        const dest = c.findBranch(repo, changes.destinationBranch);
        if (!dest) throw new SandboxError(400, `Branch not found: ${changes.destinationBranch}`);
        if (dest.name === pr.source.branch) throw new SandboxError(400, 'Source and destination branches must be different.');
        pr.destination = { branch: dest.name, hash: dest.target };
      }
      if (changes.reviewers !== undefined) setReviewers(pr, toReviewers(changes.reviewers, getUser(state, pr.authorUuid)));
      pr.updatedOn = c.stamp();
      c.recordUpdate(repo, pr, actor);
      c.emitPr('pullrequest:updated', repo, pr, actor);
      return pr;
    },

    approve(ref, actorRef) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      c.requireOpen(pr);
      if (pr.authorUuid === actor.uuid) throw new SandboxError(400, "You can't approve your own pull request.");
      const p = c.ensureParticipant(pr, actor);
      if (p.approved) return p;
      const date = c.stamp();
      Object.assign(p, { approved: true, state: 'approved', participatedOn: date });
      pr.updatedOn = date;
      c.emit('pullrequest:approved', repo, toApprovalPayload(c.ctx, repo, pr, actor, date, 'approval'));
      return p;
    },

    unapprove(ref, actorRef) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      c.requireOpen(pr);
      const p = pr.participants.find((x) => x.userUuid === actor.uuid);
      if (!p?.approved) throw new SandboxError(404, 'You have not approved this pull request.');
      const date = c.stamp();
      Object.assign(p, { approved: false, state: null });
      pr.updatedOn = date;
      c.emit('pullrequest:unapproved', repo, toApprovalPayload(c.ctx, repo, pr, actor, date, 'approval'));
    },

    requestChanges(ref, actorRef) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      c.requireOpen(pr);
      if (pr.authorUuid === actor.uuid) throw new SandboxError(400, "You can't request changes on your own pull request.");
      const p = c.ensureParticipant(pr, actor);
      if (p.state === 'changes_requested') return p;
      const date = c.stamp();
      Object.assign(p, { approved: false, state: 'changes_requested', participatedOn: date });
      pr.updatedOn = date;
      c.emit('pullrequest:changes_request_created', repo, toApprovalPayload(c.ctx, repo, pr, actor, date, 'changes_request'));
      return p;
    },

    removeChangeRequest(ref, actorRef) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      c.requireOpen(pr);
      const p = pr.participants.find((x) => x.userUuid === actor.uuid);
      if (p?.state !== 'changes_requested') throw new SandboxError(404, 'You have not requested changes on this pull request.');
      const date = c.stamp();
      p.state = null;
      pr.updatedOn = date;
      c.emit('pullrequest:changes_request_removed', repo, toApprovalPayload(c.ctx, repo, pr, actor, date, 'changes_request'));
    },

    decline(ref, actorRef, reason) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      c.requireOpen(pr);
      Object.assign(pr, { state: 'DECLINED', closedByUuid: actor.uuid, reason: reason ?? '', updatedOn: c.stamp() });
      c.recordUpdate(repo, pr, actor);
      c.emitPr('pullrequest:rejected', repo, pr, actor);
      return pr;
    },
  };
}
