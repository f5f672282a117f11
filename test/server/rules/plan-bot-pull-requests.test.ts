import { describe, expect, it } from 'vitest';
import { planBotPullRequests, renderTemplate, type BotPullRequestRule } from '../../../server/rules';

const rules: BotPullRequestRule[] = [
  { branches: 'release/*', target: 'main', title: 'Release {{branch.name}}', description: 'Pushed by {{author}}: {{commit}} {{unknown}}', reviewers: ['{r}'] },
  { branches: 'release/*', target: 'main', title: 'second rule for the same target' },
  { branches: 'release/*', target: 'develop', title: 'Back-merge {{branch}}', draft: true },
];
const push = { branch: 'release/2.0', closed: false, repository: 'acme/web', actorDisplayName: 'Alice', commitMessage: 'Bump version\n\nbody' };

describe('planBotPullRequests', () => {
  it('opens one PR per target for a matching branch, with rendered templates and a key per source and target', () => {
    expect(planBotPullRequests(push, rules, [])).toEqual([
      { action: 'open', source: 'release/2.0', target: 'main', title: 'Release 2.0', description: 'Pushed by Alice: Bump version {{unknown}}', reviewers: ['{r}'], draft: false, idempotencyKey: 'bot-pr:acme/web:release/2.0:main' },
      { action: 'open', source: 'release/2.0', target: 'develop', title: 'Back-merge release/2.0', description: '', reviewers: [], draft: true, idempotencyKey: 'bot-pr:acme/web:release/2.0:develop' },
    ]);
  });

  it('never a second PR for a source and target that have one open; a redelivered push plans the same key', () => {
    const plans = planBotPullRequests(push, rules, [{ id: 7, source: 'release/2.0', destination: 'main' }]);
    expect(plans[0]).toEqual({ action: 'exists', source: 'release/2.0', target: 'main', pullRequestId: 7 });
    expect(plans.filter((p) => p.action === 'open')).toHaveLength(1);
    expect(planBotPullRequests(push, rules, [])).toEqual(planBotPullRequests(push, rules, []));
  });

  it('ignores other branches, deleted branches and a rule targeting the pushed branch itself', () => {
    expect(planBotPullRequests({ ...push, branch: 'feature/x' }, rules, [])).toEqual([]);
    expect(planBotPullRequests({ ...push, closed: true }, rules, [])).toEqual([]);
    expect(planBotPullRequests({ ...push, branch: 'main' }, [{ branches: '*', target: 'main', title: 't' }], [])).toEqual([]);
  });

  it('renderTemplate keeps unknown placeholders visible', () => {
    expect(renderTemplate('{{ branch }} {{nope}}', { branch: 'b' })).toBe('b {{nope}}');
  });
});
