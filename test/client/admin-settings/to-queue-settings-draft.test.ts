import { describe, expect, it } from 'vitest';
import { toQueueSettingsChange, toQueueSettingsDraft } from '../../../client/admin-settings/to-queue-settings-draft';

describe('the admin form for a branch queue', () => {
  const draft = toQueueSettingsDraft({ settings: { batchSize: 4, depth: 3, retryFailedBatchOnce: true, lanes: ['hotfix', 'default'] } });
  it('round-trips the settings as typed', () => {
    expect(draft).toEqual({ lanes: 'hotfix, default', batchSize: '4', depth: '3', retryFailedBatchOnce: true });
    expect(toQueueSettingsChange('acme/web', 'main', draft)).toEqual({
      change: { repository: 'acme/web', branch: 'main', settings: { lanes: ['hotfix', 'default'], batchSize: 4, depth: 3, retryFailedBatchOnce: true } },
    });
  });
  it('names each problem before sending', () => {
    const bad = toQueueSettingsChange('acme/web', 'main', { lanes: 'a, a, b c', batchSize: '0', depth: '2.5', retryFailedBatchOnce: false });
    expect('problems' in bad && bad.problems).toEqual([
      'Lane names use letters, digits, . _ and - only.',
      'Each lane once.',
      'Batch size is a whole number from 1 to 50.',
      'Batches at once is a whole number from 1 to 10.',
    ]);
    expect(toQueueSettingsChange('acme/web', 'main', { ...draft, lanes: ' , ' })).toEqual({ problems: ['Name at least one lane (the last one is where PRs go by default).'] });
  });
});
