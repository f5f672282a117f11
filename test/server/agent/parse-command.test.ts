import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, getCommandSpec, parseCommand } from '../../../server/agent';

describe('parseCommand', () => {
  it.each([
    ['/bosun help', { name: 'help' }],
    ['/bosun merge', { name: 'merge' }],
    ['/bosun merge squash', { name: 'merge', strategy: 'squash' }],
    ['/bosun merge ff', { name: 'merge', strategy: 'fast_forward' }],
    ['/bosun merge merge-commit', { name: 'merge', strategy: 'merge_commit' }],
    ['/bosun merge when green', { name: 'mergeWhenGreen' }],
    ['/bosun merge when green squash', { name: 'mergeWhenGreen', strategy: 'squash' }],
    ['/BOSUN Merge When-Green', { name: 'mergeWhenGreen' }],
    ['/bosun cancel', { name: 'cancel' }],
    ['/bosun status', { name: 'status' }],
    ['/bosun approve', { name: 'approve' }],
    ['/bosun request reviewers @alice @bob', { name: 'requestReviewers', reviewers: ['alice', 'bob'] }],
    ['/bosun request reviewers @alice @alice', { name: 'requestReviewers', reviewers: ['alice'] }],
    ['/bosun rerun failed pipeline', { name: 'rerunFailedPipeline' }],
    ['/bosun open pr from feature/x to main', { name: 'openPullRequest', source: 'feature/x', destination: 'main' }],
    ['/bosun open pr from feature/x into main "Add X"', { name: 'openPullRequest', source: 'feature/x', destination: 'main', title: 'Add X' }],
    ['/bosun ask merge #12 when green', { name: 'ask', text: 'merge #12 when green' }],
    ['  /bosun status\nand some words for people', { name: 'status' }],
    ['/bosun unapprove', { name: 'unapprove' }],
    ['/bosun request changes', { name: 'requestChanges' }],
    ['/bosun decline', { name: 'decline' }],
    ['/bosun close', { name: 'decline' }],
    ['/bosun rename "Add login page"', { name: 'rename', title: 'Add login page' }],
    ['/bosun rename to Add login', { name: 'rename', title: 'Add login' }],
    ['/bosun title Fix: the parser', { name: 'rename', title: 'Fix: the parser' }],
    ['/bosun draft', { name: 'draft' }],
    ['/bosun ready', { name: 'ready' }],
    ['/bosun ready for review', { name: 'ready' }],
    ['/bosun retarget develop', { name: 'retarget', destination: 'develop' }],
    ['/bosun retarget to release/2.0', { name: 'retarget', destination: 'release/2.0' }],
    ['/bosun run pipeline', { name: 'runPipeline' }],
    ['/bosun run pipeline deploy', { name: 'runPipeline', pipeline: 'deploy' }],
    ['/bosun run pipeline deploy TARGET=staging DRY_RUN=false', { name: 'runPipeline', pipeline: 'deploy', variables: [{ key: 'TARGET', value: 'staging' }, { key: 'DRY_RUN', value: 'false' }] }],
    ['/bosun run pipeline VERSION=1.2.3', { name: 'runPipeline', variables: [{ key: 'VERSION', value: '1.2.3' }] }],
    ['/bosun stop pipeline 42', { name: 'stopPipeline', pipeline: 42 }],
    ['/bosun stop pipeline #42', { name: 'stopPipeline', pipeline: 42 }],
    ['/bosun stop 42', { name: 'stopPipeline', pipeline: 42 }],
    ['/bosun rerun', { name: 'rerunFailedPipeline' }],
    ['/bosun rerun 12', { name: 'rerunPipeline', pipeline: 12 }],
    ['/bosun rerun pipeline #12', { name: 'rerunPipeline', pipeline: 12 }],
    ['/bosun retry build 3', { name: 'rerunPipeline', pipeline: 3 }],
    ['/bosun builds', { name: 'builds' }],
    ['/bosun pipelines', { name: 'builds' }],
    ['/bosun delete source branch', { name: 'deleteSourceBranch' }],
  ])('%s', (raw, command) => {
    const parsed = parseCommand(raw);
    expect(parsed).toMatchObject({ ok: true, command });
    if (parsed?.ok) expect(parsed.command).toEqual(command);
  });

  it.each([
    ['/bosun', 'Tell Bosun what to do.'],
    ['/bosun frobnicate', 'Bosun does not know "frobnicate".'],
    ['/bosun merge sideways', 'Unknown merge strategy "sideways".'],
    ['/bosun merge when red', 'Did you mean `/bosun merge when green`?'],
    ['/bosun merge squash now', '`/bosun merge` takes at most a merge strategy.'],
    ['/bosun request reviewers', 'Name at least one reviewer, like @alice.'],
    ['/bosun request reviewers bob', 'Reviewers are written @name; not understood: bob.'],
    ['/bosun rerun everything', 'Did you mean `/bosun rerun failed pipeline` or `/bosun rerun <build number>`?'],
    ['/bosun builds all', '`/bosun builds` takes no arguments.'],
    ['/bosun stop 1 2', 'Write it as `/bosun stop pipeline <build number>` (or `/bosun stop <build number>`).'],
    ['/bosun open pr to main', 'Write it as `/bosun open pr from <source> to <destination> "title"`.'],
    ['/bosun open pr from a..b to main', 'Not a valid branch name: a..b.'],
    ['/bosun approve please', '`/bosun approve` takes no arguments.'],
    ['/bosun ask', 'Say what you want after `/bosun ask`.'],
    ['/bosun rename', 'Give the new title, like `/bosun rename "Add login"`.'],
    ['/bosun retarget a..b', 'Not a valid branch name: a..b.'],
    ['/bosun stop pipeline', 'Write it as `/bosun stop pipeline <build number>` (or `/bosun stop <build number>`).'],
    ['/bosun delete main', 'Did you mean `/bosun delete source branch`?'],
    ['/bosun run everything', 'Did you mean `/bosun run pipeline`?'],
    ['/bosun run pipeline deploy nightly', 'Name at most one custom pipeline, then its variables as KEY=value.'],
    ['/bosun request changes now', '`/bosun request changes` takes no arguments.'],
  ])('refuses %s with a reply listing what is valid', (raw, error) => {
    const parsed = parseCommand(raw);
    expect(parsed).toMatchObject({ ok: false, error });
    if (parsed && !parsed.ok) {
      expect(parsed.suggestions.length).toBeGreaterThan(0);
      expect(parsed.reply).toContain(error);
      expect(parsed.reply).toContain('/bosun merge when green');
    }
  });

  it('ignores comments that are not commands', () => {
    expect(parseCommand('LGTM')).toBeNull();
    expect(parseCommand('please /bosun merge')).toBeNull();
    expect(parseCommand('/bosunmerge')).toBeNull();
  });

  it('holds usage and description only: who may run a command is its tools\' metadata', () => {
    expect(getCommandSpec('merge')).toMatchObject({ name: 'merge', usage: '/bosun merge [merge_commit|squash|fast_forward]' });
    // Write access and who a command acts as are its tools' metadata (the executor's precondition), not the command table.
    for (const spec of COMMAND_SPECS) expect(Object.keys(spec).sort()).toEqual(['description', 'name', 'usage']);
  });
});
