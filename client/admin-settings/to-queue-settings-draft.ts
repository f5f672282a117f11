import type { BranchQueueView, QueueSettingsChange } from '../../server/web/api/merge-queue-views';

/** What the admin form edits for one branch queue, as typed. */
export interface QueueSettingsDraft {
  lanes: string;
  batchSize: string;
  depth: string;
  retryFailedBatchOnce: boolean;
}

export const toQueueSettingsDraft = (q: Pick<BranchQueueView, 'settings'>): QueueSettingsDraft => ({
  lanes: q.settings.lanes.join(', '),
  batchSize: String(q.settings.batchSize),
  depth: String(q.settings.depth),
  retryFailedBatchOnce: q.settings.retryFailedBatchOnce,
});

/** The change to send, or the problems to show beside the fields (the server checks again). */
export function toQueueSettingsChange(repository: string, branch: string, draft: QueueSettingsDraft): { change: QueueSettingsChange } | { problems: string[] } {
  const problems: string[] = [];
  const lanes = draft.lanes.split(',').map((l) => l.trim()).filter((l) => l !== '');
  if (lanes.length === 0) problems.push('Name at least one lane (the last one is where PRs go by default).');
  if (lanes.some((l) => !/^[\w.-]{1,64}$/.test(l))) problems.push('Lane names use letters, digits, . _ and - only.');
  if (new Set(lanes).size !== lanes.length) problems.push('Each lane once.');
  const batchSize = Number(draft.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50) problems.push('Batch size is a whole number from 1 to 50.');
  const depth = Number(draft.depth);
  if (!Number.isInteger(depth) || depth < 1 || depth > 10) problems.push('Batches at once is a whole number from 1 to 10.');
  if (problems.length > 0) return { problems };
  return { change: { repository, branch, settings: { lanes, batchSize, depth, retryFailedBatchOnce: draft.retryFailedBatchOnce } } };
}
