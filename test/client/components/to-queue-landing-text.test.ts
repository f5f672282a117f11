import { describe, expect, it } from 'vitest';
import { toQueueLandingText } from '../../../client/components/to-queue-landing-text';

describe("the queue's strategy and source-branch closing, as the PR panel and the dashboard show them", () => {
  it('the dashboard: the strategy with what it means, how source branches go, and where it is set', () => {
    expect(toQueueLandingText({ strategy: 'merge_commit', closeSourceBranch: null })).toBe(
      "Strategy merge_commit (a merge commit per PR); source branches deleted as each PR asks. Set by the policy's mergeQueue.strategy and mergeQueue.closeSourceBranch.",
    );
    expect(toQueueLandingText({ strategy: 'fast_forward', closeSourceBranch: true })).toContain("Strategy fast_forward (no merge commit: each PR must be based on what lands ahead of it); every landed PR's source branch deleted.");
    expect(toQueueLandingText({ strategy: 'merge_commit', closeSourceBranch: false })).toContain('every source branch kept');
  });

  it('not readable just now (null): "strategy unknown right now", no strategy guessed, on the panel and the dashboard alike', () => {
    for (const text of [toQueueLandingText(null), toQueueLandingText(null, undefined)]) {
      expect(text).toMatch(/^Strategy unknown right now/);
      expect(text).not.toMatch(/merge_commit|fast_forward|deleted|kept/);
    }
  });

  it("the PR panel: this PR's own source branch, and whether the policy or the PR decided", () => {
    expect(toQueueLandingText({ strategy: 'fast_forward', closeSourceBranch: null }, { sourceBranchClosed: true })).toContain("this PR's source branch is deleted once it lands (as the PR asks)");
    expect(toQueueLandingText({ strategy: 'merge_commit', closeSourceBranch: false }, { sourceBranchClosed: false })).toContain("this PR's source branch is kept once it lands (the policy decides for every PR)");
  });
});
