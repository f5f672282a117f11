import { describe, expect, it } from 'vitest';
import { planBuildFailureComment, type HeadStatus } from '../../../server/ci';

const commitHash = 'abcdef1234567890abcdef1234567890abcdef12';
const status = (key: string, state: HeadStatus['state'], extra: Partial<HeadStatus> = {}): HeadStatus => ({ key, name: key, state, url: `https://ci.acme.test/${key}`, description: null, ...extra });

describe('the failed-builds comment', () => {
  it('lists each failed build with its link and description', () => {
    const planned = planBuildFailureComment({
      commitHash,
      statuses: [status('unit', 'FAILED', { name: 'Unit tests', description: '2 tests\nfailed' }), status('lint', 'SUCCESSFUL'), status('e2e', 'INPROGRESS')],
      commentExists: false,
    });
    expect(planned?.kind).toBe('failing');
    expect(planned?.body).toContain('❌ **Builds failing** on `abcdef123456`: 1 of 3 builds failed.');
    expect(planned?.body).toContain('- [Unit tests](https://ci.acme.test/unit): 2 tests failed');
    expect(planned?.body).not.toContain('lint');
  });

  it('keeps a CI\'s names and URLs from breaking the markdown', () => {
    const planned = planBuildFailureComment({ commitHash, statuses: [status('x', 'FAILED', { name: 'a](javascript:alert(1)) [b', url: 'javascript:alert(1)' })], commentExists: false });
    expect(planned?.body).toContain('- a\\](javascript:alert(1)) \\[b');
    expect(planned?.body).not.toMatch(/[^\\]\]\(javascript/);
  });

  it('gives the same identity for the same failures and another when they change', () => {
    const a = planBuildFailureComment({ commitHash, statuses: [status('unit', 'FAILED')], commentExists: false })!;
    const b = planBuildFailureComment({ commitHash, statuses: [status('unit', 'FAILED'), status('lint', 'SUCCESSFUL')], commentExists: true })!;
    const c = planBuildFailureComment({ commitHash, statuses: [status('unit', 'FAILED'), status('lint', 'FAILED')], commentExists: true })!;
    expect(a.identity).toEqual(b.identity);
    expect(c.identity).not.toEqual(a.identity);
  });

  it('marks an existing comment resolved once nothing fails or runs, and posts none for a PR that never failed', () => {
    const green = [status('unit', 'SUCCESSFUL'), status('lint', 'STOPPED')];
    expect(planBuildFailureComment({ commitHash, statuses: green, commentExists: false })).toBeNull();
    const resolved = planBuildFailureComment({ commitHash, statuses: green, commentExists: true });
    expect(resolved?.kind).toBe('resolved');
    expect(resolved?.body).toContain('✅ **Builds no longer failing** on `abcdef123456`: 1 of 2 passed, none failed.');
    expect(planBuildFailureComment({ commitHash, statuses: [status('unit', 'INPROGRESS')], commentExists: true })).toBeNull();
    expect(planBuildFailureComment({ commitHash, statuses: [], commentExists: true })).toBeNull();
  });
});
