import { describe, expect, it } from 'vitest';
import { toBuildStateLozenge } from '../../../client/components/to-build-state-lozenge';
import type { AggregateBuildState } from '../../../server/web/api/contracts';

describe('toBuildStateLozenge', () => {
  it.each<[AggregateBuildState, string, string]>([
    ['SUCCESSFUL', 'success', 'Passed'],
    ['FAILED', 'removed', 'Failed'],
    ['INPROGRESS', 'inprogress', 'In progress'],
    ['STOPPED', 'moved', 'Stopped'],
    ['NONE', 'default', 'No builds'],
  ])('maps %s to a %s lozenge reading "%s"', (state, appearance, label) => {
    expect(toBuildStateLozenge(state)).toEqual({ appearance, label });
  });
});
