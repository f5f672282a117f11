import { describe, expect, it } from 'vitest';
import { chooseReviewers, findOwningRules, findRefusedReviewer, toPathGlob, type ReviewerChoiceInput } from '../../../server/rules';

const input = (over: Partial<ReviewerChoiceInput> = {}): ReviewerChoiceInput => ({
  changedPaths: ['api/users.ts'],
  owners: [{ paths: ['api/'], reviewers: ['group:backend'] }],
  groups: { backend: ['{b1}', '{b2}', '{b3}'], web: ['{w1}', '{w2}'] },
  authorUuid: '{author}',
  existingReviewerUuids: [],
  defaultReviewerUuids: [],
  includeDefaultReviewers: false,
  openReviews: {},
  maxOpenReviewsPerPerson: 3,
  strategy: 'round-robin',
  perGroup: 1,
  cursors: {},
  ...over,
});

describe('toPathGlob (code-owners style)', () => {
  it.each([
    ['api/', 'api/v1/users.ts', true],
    ['api/', 'web/api/users.ts', false],
    ['*.md', 'docs/deep/readme.md', true],
    ['/README.md', 'docs/README.md', false],
    ['/README.md', 'README.md', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/sub/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['docs/**', 'docs/a/b', true],
    ['file?.txt', 'file1.txt', true],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (glob, path, want) => {
    expect(toPathGlob(glob).test(path)).toBe(want);
  });

  it('per file the last matching rule owns it', () => {
    const owners = [{ paths: ['**'], reviewers: ['{all}'] }, { paths: ['web/'], reviewers: ['{w1}'] }];
    expect(findOwningRules(['web/a.ts', 'web/b.ts', 'README.md'], owners).map((o) => [o.rule.reviewers[0], o.files])).toEqual([
      ['{all}', ['README.md']],
      ['{w1}', ['web/a.ts', 'web/b.ts']],
    ]);
  });
});

describe('chooseReviewers', () => {
  it('round-robin walks the group from the stored cursor and moves it', () => {
    const first = chooseReviewers(input());
    expect(first.add).toEqual(['{b1}']);
    const second = chooseReviewers(input({ cursors: first.cursors }));
    expect(second.add).toEqual(['{b2}']);
    const third = chooseReviewers(input({ cursors: second.cursors }));
    const fourth = chooseReviewers(input({ cursors: third.cursors }));
    expect([third.add, fourth.add]).toEqual([['{b3}'], ['{b1}']]);
  });

  it('least-loaded picks the member with fewest open reviews, ties in group order', () => {
    expect(chooseReviewers(input({ strategy: 'least-loaded', openReviews: { '{b1}': 2, '{b2}': 0, '{b3}': 0 } })).add).toEqual(['{b2}']);
    expect(chooseReviewers(input({ strategy: 'least-loaded', perGroup: 2, openReviews: { '{b1}': 1, '{b2}': 2, '{b3}': 0 } })).add).toEqual(['{b3}', '{b1}']);
  });

  it('never the author, even when the author is the only owner', () => {
    const r = chooseReviewers(input({ authorUuid: '{b1}', owners: [{ paths: ['api/'], reviewers: ['{b1}', 'group:backend'] }] }));
    expect(r.add).not.toContain('{b1}');
    expect(r.add).toEqual(['{b2}']);
    expect(r.skipped).toContainEqual({ userUuid: '{b1}', reason: 'author' });
  });

  it('skips people at the open-review limit and reports a group it cannot fill', () => {
    const r = chooseReviewers(input({ openReviews: { '{b1}': 3, '{b2}': 5, '{b3}': 3 } }));
    expect(r.add).toEqual([]);
    expect(r.unfilled).toEqual([{ group: 'backend', wanted: 1, got: 0 }]);
    expect(r.skipped.map((s) => s.reason)).toEqual(['over-limit', 'over-limit', 'over-limit']);
  });

  it('a group member already reviewing satisfies the group', () => {
    expect(chooseReviewers(input({ existingReviewerUuids: ['{b3}'] })).add).toEqual([]);
  });

  it('one person owning several matched rules is added once, and load counts picks within the run', () => {
    const r = chooseReviewers(
      input({
        changedPaths: ['api/a.ts', 'web/b.ts'],
        owners: [{ paths: ['api/'], reviewers: ['group:backend'] }, { paths: ['web/'], reviewers: ['{b1}', 'group:backend'] }],
        strategy: 'least-loaded',
      }),
    );
    expect(r.add).toEqual(['{b1}']);
    expect(r.because['{b1}']).toMatch(/owns api\/a\.ts/);
  });

  it('files no rule owns ask nobody; default reviewers are added when the policy says so', () => {
    expect(chooseReviewers(input({ changedPaths: ['README.md'] })).add).toEqual([]);
    const r = chooseReviewers(input({ changedPaths: ['README.md'], includeDefaultReviewers: true, defaultReviewerUuids: ['{d}', '{author}'] }));
    expect(r.add).toEqual(['{d}']);
    expect(r.because['{d}']).toBe('default reviewer');
  });

  it('people Bitbucket refused are not proposed again', () => {
    const r = chooseReviewers(input({ refusedUuids: ['{b1}'] }));
    expect(r.add).toEqual(['{b2}']);
    expect(r.skipped).toContainEqual({ userUuid: '{b1}', reason: 'refused' });
  });
});

describe('findRefusedReviewer', () => {
  const added = [{ uuid: '{u1}', displayName: 'Carol Reviewer', nickname: 'carol' }, { uuid: '{u2}', displayName: 'Dave Developer' }];
  it('drops the reviewer the 400 names', () => {
    expect(findRefusedReviewer('Carol Reviewer is the author and cannot be included as a reviewer.', added)).toBe('{u1}');
    expect(findRefusedReviewer('reviewers: {u2} is not a valid user', added)).toBe('{u2}');
  });
  it('a single new reviewer is the one; several unnamed: cannot tell', () => {
    expect(findRefusedReviewer('Malformed reviewers list', added.slice(0, 1))).toBe('{u1}');
    expect(findRefusedReviewer('Malformed reviewers list', added)).toBeNull();
  });
});
