import type { PullRequestQueueView } from '../../server/web/api/merge-queue-views';

/** The plans the panel's buttons run: the same tools `/bosun queue` and `/bosun dequeue` use, through the executor. */
export const toQueuePlan = (repo: string, pullRequestId: number) => ({
  summary: `Queue #${pullRequestId} for merging`,
  source: 'button' as const,
  steps: [{ tool: 'mergeQueue.enqueue', input: { repo, pullRequestId } }],
});

export const toLeaveQueuePlan = (repo: string, pullRequestId: number) => ({
  summary: `Take #${pullRequestId} out of the merge queue`,
  source: 'button' as const,
  steps: [{ tool: 'mergeQueue.dequeue', input: { repo, pullRequestId } }],
});

/** "2nd of 3 in the main queue", "being tested with #4 and #5", "main is frozen until …". */
export function toQueuePlaceText(view: PullRequestQueueView): { headline: string; detail: string | null } {
  const hold = view.freeze.frozen
    ? `${view.branch} is frozen${view.freeze.until ? ` until ${view.freeze.until.slice(0, 16).replace('T', ' ')} UTC` : ''}${view.freeze.reason ? ` (${view.freeze.reason})` : ''}: nothing lands until it thaws.`
    : view.paused ? `The ${view.branch} queue is paused: batches already running finish, nothing new starts.` : null;
  if (!view.place) {
    const left = view.lastLeft;
    const headline = left?.state === 'merged' ? `Merged by the ${view.branch} queue.`
      : left?.state === 'ejected' ? `Taken out of the ${view.branch} queue: ${left.reason ?? 'it could not be merged.'}`
        : `Not in the ${view.branch} merge queue${view.queueLength > 0 ? ` (${view.queueLength} queued)` : ''}.`;
    return { headline, detail: hold ?? (view.mergeViaQueue ? `Merge when green on ${view.branch} goes through the queue.` : null) };
  }
  const others = view.batch ? view.batch.prIds.filter((id) => id !== view.pullRequestId) : [];
  const testing = view.batch
    ? `Being tested${others.length > 0 ? ` with ${others.map((id) => `#${id}`).join(', ')}` : ''} (batch ${view.batch.id}, ${view.batch.state}).`
    : 'Waiting for a batch.';
  const eta = view.place.etaAt ? ` Expected around ${view.place.etaAt.slice(11, 16)} UTC.` : '';
  return {
    headline: `Position ${view.place.position} of ${view.queueLength} in the ${view.branch} queue${view.place.lane !== 'default' ? ` (${view.place.lane} lane)` : ''}.`,
    detail: `${testing}${eta}${hold ? ` ${hold}` : ''}`,
  };
}
