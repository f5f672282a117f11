import type { PendingMergeView } from '../../server/web/api/pending-merge-views';

/** Who armed it, as people know them: display name, @nickname, else their account id; "someone" when nobody is recorded. */
export const toRequesterName = (requestedBy: PendingMergeView['requestedBy']): string =>
  requestedBy?.displayName ?? (requestedBy?.nickname ? `@${requestedBy.nickname}` : null) ?? requestedBy?.accountId ?? requestedBy?.uuid ?? 'someone';

/** "Bosun merges #4 (squash) once its builds pass and its merge checks are met." */
export const toPendingMergeSentence = (pending: PendingMergeView, pullRequestId: number): string =>
  `Bosun merges #${pullRequestId}${pending.mergeStrategy ? ` (${pending.mergeStrategy.replace(/_/g, ' ')})` : ''} once its builds pass and its merge checks are met.`;

/** The plan the Cancel button runs: the same tool `/bosun cancel` and Ask Bosun use, through the executor. */
export const toCancelPlan = (repo: string, pullRequestId: number) => ({
  summary: `Cancel the automatic merge of #${pullRequestId}`,
  source: 'button' as const,
  steps: [{ tool: 'pullRequest.cancelAutoMerge', input: { repo, pullRequestId } }],
});
