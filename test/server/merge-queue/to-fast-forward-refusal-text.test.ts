import { describe, expect, it } from 'vitest';
import { toFastForwardRefusalText } from '../../../server/merge-queue';

describe('why a PR refused a fast-forward under the fast_forward strategy was ejected', () => {
  it('not a fast-forward (the adapter read it so): names the setting, what it means, and asks for a rebase', () => {
    const onHead = toFastForwardRefusalText('main', 'feature/a', true, { message: 'main has commits that feature/a does not have', notFastForward: true });
    expect(onHead).toMatch(/^The policy's mergeQueue\.strategy is fast_forward: each PR goes in by fast-forward only/);
    expect(onHead).toContain('feature/a is not based on the head of main (main moved since it branched off), so it is not a fast-forward: rebase it and queue it again (Bitbucket: main has commits that feature/a does not have).');
    const behind = toFastForwardRefusalText('main', 'feature/b', false, { message: 'no fast-forward', notFastForward: true });
    expect(behind).toContain('feature/b lacks commits of the PRs ahead of it in the main queue');
  });

  it('another refusal: the setting is named, Bitbucket is quoted, no rebase is suggested', () => {
    const other = toFastForwardRefusalText('main', 'feature/a', true, { message: 'You do not have permission to merge', notFastForward: false });
    expect(other).toContain("The policy's mergeQueue.strategy is fast_forward");
    expect(other).toContain('Bitbucket refused to fast-forward feature/a: You do not have permission to merge');
    expect(other).not.toContain('rebase');
  });
});
