import { describe, expect, it } from 'vitest';
import { EMPTY_TEMPLATE_DRAFT, isShownIssue, issuesAt, toTemplateBody, toTemplateDraft } from '../../../client/admin-settings/to-template-draft';
import { repositoryTemplateSchema } from '../../../server/policies/repository-template';

const VALUED = ['require_approvals_to_merge', 'require_default_reviewer_approvals_to_merge', 'require_passing_builds_to_merge', 'require_commits_behind'];
const CAROL = '{ca201000-0000-4000-8000-000000000003}';

const stored = repositoryTemplateSchema.parse({
  name: 'service',
  summary: 'Back-end services',
  settings: {
    isPrivate: true,
    mainBranch: 'main',
    description: 'A service',
    pipelinesEnabled: false,
    defaultReviewers: [CAROL],
    branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }, { kind: 'force', pattern: 'release/*' }],
    webhooks: [{ description: 'CI', url: 'https://ci.example.com/h', events: ['repo:push', 'pullrequest:fulfilled'], active: false }],
    mergeStrategies: { allowed: ['squash', 'merge_commit'], default: 'squash' },
  },
});

describe('template editor drafts', () => {
  it('a stored template round-trips through the form unchanged', () => {
    expect(repositoryTemplateSchema.parse(toTemplateBody(toTemplateDraft(stored), VALUED))).toEqual(stored);
  });

  it('empty fields are not managed: the body leaves them out', () => {
    expect(toTemplateBody({ ...EMPTY_TEMPLATE_DRAFT, name: ' docs ' }, VALUED)).toEqual({ name: 'docs', summary: '', settings: {} });
  });

  it('sends what was typed, even when wrong, so the server names the field', () => {
    const body = toTemplateBody(
      { ...EMPTY_TEMPLATE_DRAFT, name: 'x', branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 'two' }], webhooks: [{ description: 'CI', url: 'not a url', events: 'repo:push,  pullrequest:created', active: true }] },
      VALUED,
    );
    expect(body.settings).toEqual({
      branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 'two' }],
      webhooks: [{ description: 'CI', url: 'not a url', events: ['repo:push', 'pullrequest:created'], active: true }],
    });
    const issues = repositoryTemplateSchema.safeParse(body).error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(issuesAt(issues, 'settings.webhooks.0')).toEqual([expect.stringMatching(/^url: /)]);
    expect(issuesAt(issues, 'settings.branchRestrictions.0')).toEqual([expect.stringMatching(/^value: /)]);
    expect(issues.every((i) => isShownIssue(i.path))).toBe(true);
  });

  it('an issue at a path the form does not show is reported apart', () => {
    expect(isShownIssue('settings.nope')).toBe(false);
    expect(isShownIssue('')).toBe(false);
    expect(isShownIssue('settings.mergeStrategies.default')).toBe(true);
  });
});
