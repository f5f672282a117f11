import { describe, expect, it } from 'vitest';
import { toQueueCiVerdict } from '../../../server/merge-queue';

describe('toQueueCiVerdict: has CI settled on the tested commit?', () => {
  it('no status at all is pending, never green', () => {
    expect(toQueueCiVerdict([])).toEqual({ kind: 'pending' });
  });
  it('pending while any run is in progress, even beside a failure reported early', () => {
    expect(toQueueCiVerdict([{ key: 'a', state: 'SUCCESSFUL' }, { key: 'b', state: 'INPROGRESS' }])).toEqual({ kind: 'pending' });
  });
  it('passed when every status is successful; ignored keys (Bosun’s own) do not count either way', () => {
    expect(toQueueCiVerdict([{ key: 'a', state: 'SUCCESSFUL' }, { key: 'bosun/readiness', state: 'FAILED' }], ['bosun/readiness'])).toEqual({ kind: 'passed' });
    expect(toQueueCiVerdict([{ key: 'bosun/readiness', state: 'SUCCESSFUL' }], ['bosun/readiness'])).toEqual({ kind: 'pending' });
  });
  it('failed names the failing checks with their descriptions', () => {
    const v = toQueueCiVerdict([{ key: 'unit', state: 'FAILED', name: 'Unit tests', description: '3 failed' }, { key: 'lint', state: 'SUCCESSFUL' }]);
    expect(v).toEqual({ kind: 'failed', reason: 'Unit tests (3 failed) is failing on the tested commit.' });
    expect(toQueueCiVerdict([{ key: 'e2e', state: 'STOPPED' }])).toEqual({ kind: 'failed', reason: 'e2e is stopped on the tested commit.' });
  });
});
