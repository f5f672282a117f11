import { describe, expect, it } from 'vitest';
import { toLogTail } from '../../../server/agent/tools/pipeline-failed-step-log';
import { usePipelineToolStack } from './pipeline-tool-stack';

const env = usePipelineToolStack('pipeline-read');
const run = env.run;

describe('Pipelines read tools', () => {
  it('lists recent runs newest first, by branch, and shows the tail of the failed step of the latest failed run', async () => {
    const failing = await run('pipeline.trigger', { repo: 'web', branch: 'main', selector: { type: 'custom', pattern: 'fail' } });
    expect(failing.outcome).toBe('succeeded');
    const newest = () => env.newestRun('web');
    const buildNumber = newest().buildNumber;
    await expect.poll(() => newest().result, { timeout: 5_000 }).toBe('FAILED');

    const listed = await run('pipeline.list', { repo: 'web', branch: 'main', limit: 5 });
    expect(listed.outcome).toBe('succeeded');
    const lines = (listed.steps[0]?.summary ?? '').split('\n').slice(1);
    expect(lines[0]).toMatch(new RegExp(`^#${buildNumber} main FAILED`));
    const numbers = lines.map((line) => Number(/^#(\d+)/.exec(line)?.[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(lines.length).toBeLessThanOrEqual(5);

    const log = await run('pipeline.failedStepLog', { repo: 'web', branch: 'main', lines: 5 });
    expect(log.outcome).toBe('succeeded');
    const summary = log.steps[0]?.summary ?? '';
    expect(summary).toMatch(new RegExp(`^Pipeline #${buildNumber}, step ".+" failed; the last lines of its log:`));
    const tail = summary.split('\n').slice(1);
    expect(tail.length).toBeGreaterThan(0);
    expect(tail.length).toBeLessThanOrEqual(5);

    const none = await run('pipeline.failedStepLog', { repo: 'web', pipeline: 999_999 });
    expect(none.outcome).toBe('failed');
    expect(none.message).toMatch(/No pipeline #999999/);
  });

  it("lists a pull request's runs by its source branch, and refuses a branch and a PR together", async () => {
    const triggered = await run('pipeline.trigger', { repo: 'web', branch: 'bugfix/header-overflow' });
    expect(triggered.outcome).toBe('succeeded');
    const buildNumber = env.newestRun('web').buildNumber;

    const listed = await run('pipeline.list', { repo: 'web', pullRequestId: 2 });
    expect(listed.outcome).toBe('succeeded');
    const [heading, ...lines] = (listed.steps[0]?.summary ?? '').split('\n');
    expect(heading).toBe('Recent Pipelines runs in acme/web on bugfix/header-overflow (PR #2):');
    expect(lines[0]).toMatch(new RegExp(`^#${buildNumber} bugfix/header-overflow `));
    expect(lines.every((line) => / bugfix\/header-overflow /.test(line))).toBe(true);

    const both = await run('pipeline.list', { repo: 'web', pullRequestId: 2, branch: 'main' });
    expect(both.outcome).toBe('refused');
    expect(both.message).toMatch(/not both/);
  });

  it('keeps the last lines of a log', () => {
    expect(toLogTail('a\nb\nc\nd\n\n', 2)).toBe('c\nd');
    expect(toLogTail('only', 10)).toBe('only');
  });
});
