import { getUserByUuid } from '../state/lookups';
import type { FileChange } from '../state/trees';
import type { PullRequest, Repository } from '../state/types';
import { type ApiContext, toApiUrl, toLink } from './api-context';
import { toUser } from './to-account';
import { toPullRequestComment, toPullRequestLinks } from './to-pull-request';
import { toFullName, toRepositorySummary } from './to-repository';

interface Entry {
  date: string;
  body: Record<string, unknown>;
}

/**
 * GET …/activity: updates (creation, edits, state changes), current approvals and change requests,
 * and comments, newest first. The spec gives no schema; shapes follow Bitbucket's responses.
 */
export function toActivity(ctx: ApiContext, repo: Repository, pr: PullRequest): Array<Record<string, unknown>> {
  const { state } = ctx;
  const links = toPullRequestLinks(ctx, pr, 'rest');
  const prRef = { type: 'pullrequest', id: pr.id, title: pr.title, links: { self: links.self, html: links.html } };
  const user = (uuid: string) => toUser(ctx, getUserByUuid(state, uuid));
  const side = (branch: string) => ({ branch: { name: branch }, repository: toRepositorySummary(ctx, repo) });
  const entries: Entry[] = [];
  for (const u of state.prUpdates.filter((x) => x.repoUuid === repo.uuid && x.prId === pr.id)) {
    entries.push({
      date: u.date,
      body: {
        update: {
          state: u.state, title: u.title, description: u.description, reason: u.reason, author: user(u.authorUuid), date: u.date,
          source: side(u.sourceBranch), destination: side(u.destinationBranch),
        },
      },
    });
  }
  for (const p of pr.participants.filter((x) => x.state !== null && x.participatedOn)) {
    const key = p.state === 'approved' ? 'approval' : 'changes_requested';
    entries.push({ date: p.participatedOn!, body: { [key]: { date: p.participatedOn, user: user(p.userUuid), pullrequest: prRef } } });
  }
  for (const c of state.comments.filter((x) => x.repoUuid === repo.uuid && x.prId === pr.id)) {
    entries.push({ date: c.createdOn, body: { comment: toPullRequestComment(ctx, pr, c) } });
  }
  return entries.sort((a, b) => b.date.localeCompare(a.date)).map((e) => ({ ...e.body, pull_request: prRef }));
}

export function toDiffstat(ctx: ApiContext, repo: Repository, change: FileChange, oldHash: string, newHash: string): Record<string, unknown> {
  const file = (hash: string) => ({
    type: 'commit_file',
    path: change.path,
    escaped_path: change.path,
    commit: { type: 'commit', hash, links: { self: toLink(toApiUrl(ctx, `/repositories/${toFullName(ctx, repo)}/commit/${hash}`)) } },
  });
  return {
    type: 'diffstat',
    status: change.status,
    lines_added: change.linesAdded,
    lines_removed: change.linesRemoved,
    ...(change.status !== 'added' ? { old: file(oldHash) } : {}),
    ...(change.status !== 'removed' ? { new: file(newHash) } : {}),
  };
}
