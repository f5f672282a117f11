import { addHours } from '../state/dates';
import { toBracedUuid, toCommitHash } from '../state/ids';
import { mergeTrees, type Tree } from '../state/trees';
import type { Commit, Participant, SandboxState, User } from '../state/types';
import { toInitialTree } from './seed-files';
import type { SeedData, SeedPullRequest } from './seed-data';

/** Fills an empty state from seed data. Deterministic: same data, same hashes and uuids. */
export function loadSeed(state: SandboxState, data: SeedData): void {
  const ws = data.workspace;
  state.workspaces.push({
    uuid: ws.uuid,
    slug: ws.slug,
    name: ws.name,
    isPrivate: true,
    createdOn: ws.createdOn,
    members: data.users.map((u) => u.nickname),
    admins: [...ws.admins],
    readOnly: [...ws.readOnly],
  });
  for (const u of data.users) {
    state.users.push({ ...u, createdOn: ws.createdOn });
  }
  const userByNick = (nick: string): User => {
    const user = state.users.find((u) => u.nickname === nick);
    if (!user) throw new Error(`seed: unknown user ${nick}`);
    return user;
  };

  // Grouped once: the large seed has thousands of pull requests over hundreds of repositories.
  const prsByRepo = new Map<string, SeedPullRequest[]>();
  for (const p of data.pullRequests) prsByRepo.set(p.repo, [...(prsByRepo.get(p.repo) ?? []), p]);

  for (const [repoIndex, r] of data.repositories.entries()) {
    const fullName = `${ws.slug}/${r.slug}`;
    state.repositories.push({
      uuid: r.uuid,
      workspaceUuid: ws.uuid,
      slug: r.slug,
      name: r.name,
      description: r.description,
      isPrivate: r.isPrivate,
      mainbranch: r.mainbranch,
      language: r.language,
      createdOn: r.createdOn,
      updatedOn: r.createdOn,
    });
    let tip: string | null = null;
    const trees = new Map<string, Tree>();
    const addCommit = (seed: string, message: string, parents: string[], authorUuid: string, date: string, tree: Tree): Commit => {
      const commit: Commit = { repoUuid: r.uuid, hash: toCommitHash(`${fullName}:${seed}`), parents, message, authorUuid, date, tree };
      state.commits.push(commit);
      trees.set(commit.hash, tree);
      return commit;
    };
    const treeOf = (hash: string): Tree => trees.get(hash) ?? {};
    for (const [i, message] of r.history.entries()) {
      const author = data.users[(repoIndex + i) % data.users.length]!;
      const tree: Tree = tip ? { ...treeOf(tip), 'CHANGELOG.md': `${treeOf(tip)['CHANGELOG.md'] ?? ''}- ${message}\n` } : toInitialTree(r);
      tip = addCommit(`${r.mainbranch}:${i}`, `${message}\n`, tip ? [tip] : [], author.uuid, addHours(r.createdOn, i), tree).hash;
    }
    if (!tip) throw new Error(`seed: repository ${fullName} needs history`);

    const prs = [...(prsByRepo.get(r.slug) ?? [])].sort((a, b) => a.createdOn.localeCompare(b.createdOn));
    for (const p of prs) {
      const author = userByNick(p.author);
      const destinationHash: string = tip;
      let sourceTip: string = tip;
      const notes = `notes/${p.sourceBranch.replace(/[^a-z0-9]+/gi, '-')}.md`;
      for (const [i, message] of p.sourceCommits.entries()) {
        const tree = { ...treeOf(sourceTip), [notes]: `${treeOf(sourceTip)[notes] ?? `# ${p.title}\n`}- ${message}\n` };
        sourceTip = addCommit(`${p.sourceBranch}:${i}`, `${message}\n`, [sourceTip], author.uuid, addHours(p.createdOn, -1 + i * 0.1), tree).hash;
      }
      let mergeCommit: string | null = null;
      if (p.state === 'MERGED') {
        const merger = userByNick(p.mergedBy ?? p.author);
        const message = `Merged in ${p.sourceBranch} (pull request #${p.id})\n\n${p.title}\n`;
        const tree = mergeTrees(treeOf(destinationHash), treeOf(destinationHash), treeOf(sourceTip));
        tip = addCommit(`merge:${p.id}`, message, [destinationHash, sourceTip], merger.uuid, p.updatedOn, tree).hash;
        mergeCommit = tip;
      }
      if (!(p.state === 'MERGED' && p.closeSourceBranch)) {
        state.branches.push({ repoUuid: r.uuid, name: p.sourceBranch, target: sourceTip });
      }
      state.pullRequests.push({
        repoUuid: r.uuid,
        id: p.id,
        title: p.title,
        description: p.description,
        state: p.state,
        draft: p.draft ?? false,
        authorUuid: author.uuid,
        source: { branch: p.sourceBranch, hash: sourceTip },
        destination: { branch: r.mainbranch, hash: destinationHash },
        reviewerUuids: p.reviewers.map((n) => userByNick(n).uuid),
        participants: toParticipants(p, userByNick),
        closeSourceBranch: p.closeSourceBranch ?? false,
        mergeCommit,
        closedByUuid: p.mergedBy ? userByNick(p.mergedBy).uuid : p.declinedBy ? userByNick(p.declinedBy).uuid : null,
        reason: p.reason ?? '',
        createdOn: p.createdOn,
        updatedOn: p.updatedOn,
      });
      state.prUpdates.push({
        repoUuid: r.uuid, prId: p.id, date: p.createdOn, authorUuid: author.uuid, state: 'OPEN', title: p.title, description: p.description,
        reason: '', sourceBranch: p.sourceBranch, destinationBranch: r.mainbranch,
      });
      for (const c of p.comments ?? []) {
        state.comments.push({
          repoUuid: r.uuid, prId: p.id, id: state.nextCommentId++, userUuid: userByNick(c.user).uuid, raw: c.text, createdOn: c.on, updatedOn: c.on,
          deleted: false, parentId: null, inline: null,
        });
      }
      for (const t of p.tasks ?? []) {
        state.tasks.push({
          repoUuid: r.uuid, prId: p.id, id: state.nextTaskId++, creatorUuid: userByNick(t.user).uuid, raw: t.text, state: 'UNRESOLVED',
          pending: false, commentId: null, createdOn: p.updatedOn, updatedOn: p.updatedOn, resolvedOn: null, resolvedByUuid: null,
        });
      }
      for (const s of p.statuses ?? []) {
        state.statuses.push({
          uuid: toBracedUuid(`${fullName}:${sourceTip}:${s.key}`),
          repoUuid: r.uuid,
          commitHash: sourceTip,
          key: s.key,
          name: s.name,
          state: s.state,
          url: s.url,
          description: s.description,
          refname: p.sourceBranch,
          createdOn: p.updatedOn,
          updatedOn: p.updatedOn,
        });
      }
    }
    state.branches.push({ repoUuid: r.uuid, name: r.mainbranch, target: tip });
  }
}

function toParticipants(p: SeedPullRequest, userByNick: (n: string) => User): Participant[] {
  const approved = new Set(p.approvedBy ?? []);
  const changes = new Set(p.changesRequestedBy ?? []);
  const nicks = [...new Set([...p.reviewers, ...approved, ...changes, ...(p.comments ?? []).map((c) => c.user)])].filter((n) => n !== p.author);
  return nicks.map((nick) => {
    const state = approved.has(nick) ? 'approved' : changes.has(nick) ? 'changes_requested' : null;
    return {
      userUuid: userByNick(nick).uuid,
      role: p.reviewers.includes(nick) ? 'REVIEWER' : 'PARTICIPANT',
      approved: state === 'approved',
      state,
      participatedOn: state ? p.updatedOn : null,
    };
  });
}
