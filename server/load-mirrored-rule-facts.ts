import { z } from 'zod';
import { accountSchema, commitStatusSchema, repositorySchema, type CommitStatus } from './bitbucket';
import { toShortHash, type MirrorStore } from './mirror';

/**
 * What a PR event's rules read that the mirror keeps current by webhook: the repository (slug, main
 * branch: repo:updated), who reviews the other open PRs (pullrequest:* events after a full listing),
 * and the head commit's statuses (commit-status events after a full listing of that commit). Each is
 * null where the mirror cannot answer yet; the caller asks Bitbucket for those.
 *
 * Not read here, on purpose: branch restrictions and default reviewers have no webhook (the sweep
 * lists them every few hours, and the mirror keeps the repository's own default reviewers, not the
 * effective list with the project's), and the diffstat, tasks and bosun.yml are not mirrored.
 */
export interface MirroredRuleFacts {
  repository: { slug: string | null; mainBranch: string | null } | null;
  /** Open PRs each person reviews in the repository, this PR left out. */
  openReviews: Record<string, number> | null;
  statuses: CommitStatus[] | null;
}

const reviewersOnly = z.looseObject({ reviewers: z.array(accountSchema).optional() });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The mirror's answers for one PR event (see {@link MirroredRuleFacts}); `headHash` is the PR's source commit now. */
export async function loadMirroredRuleFacts(mirror: MirrorStore, clientKey: string, ref: { repositoryUuid: string; pullRequestId: number }, headHash: string | null, wantOpenReviews: boolean): Promise<MirroredRuleFacts> {
  const [repositoryRow, pullRequestRow] = await Promise.all([mirror.getRepository(clientKey, ref.repositoryUuid), mirror.getPullRequest(clientKey, ref.repositoryUuid, ref.pullRequestId)]);
  const parsedRepository = repositoryRow ? repositorySchema.safeParse(parseJson(repositoryRow.dataJson)) : null;
  const repository = parsedRepository?.success ? { slug: parsedRepository.data.slug ?? null, mainBranch: parsedRepository.data.mainbranch?.name ?? null } : null;

  let openReviews: Record<string, number> | null = null;
  if (wantOpenReviews && repositoryRow?.pullRequestsSyncedAt) {
    const counts: Record<string, number> = {};
    let readable = true;
    for (const row of await mirror.listPullRequests(clientKey, ref.repositoryUuid, ['OPEN'])) {
      if (row.id === ref.pullRequestId) continue;
      const parsed = reviewersOnly.safeParse(parseJson(row.dataJson));
      if (!parsed.success) {
        readable = false;
        break;
      }
      for (const r of parsed.data.reviewers ?? []) if (r.uuid) counts[r.uuid] = (counts[r.uuid] ?? 0) + 1;
    }
    openReviews = readable ? counts : null;
  }

  let statuses: CommitStatus[] | null = null;
  const head = toShortHash(headHash);
  if (head && pullRequestRow?.statusesHash === head) {
    const rows = await mirror.listStatuses(clientKey, ref.repositoryUuid, [head]);
    const parsed = rows.flatMap((row) => {
      const status = commitStatusSchema.safeParse(parseJson(row.dataJson));
      return status.success ? [status.data] : [];
    });
    statuses = parsed.length === rows.length ? parsed : null;
  }
  return { repository, openReviews, statuses };
}
