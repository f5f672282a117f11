import { describe, expect, it } from 'vitest';
import { toPlanPageFacts } from '../../../client/pr-panel/to-plan-page-facts';
import type { PullRequestPanelView } from '../../../server/web/api/contracts';
import { createReviewer, createUser } from '../client-fixtures';

describe('toPlanPageFacts', () => {
  it('sends the branches, the title and each person on the page once', () => {
    const ada = createUser({ uuid: '{a}', nickname: 'ada', displayName: 'Ada Lovelace' });
    const bob = createUser({ uuid: '{b}', nickname: 'bob', displayName: 'Bob Builder' });
    const view = {
      pullRequest: { id: 3, title: 'Add login', sourceBranch: 'feature/login', destinationBranch: 'main', author: ada },
      reviewers: [createReviewer({ user: bob }), createReviewer({ user: ada })],
    } as unknown as PullRequestPanelView;
    expect(toPlanPageFacts(view)).toEqual({
      title: 'Add login',
      sourceBranch: 'feature/login',
      destinationBranch: 'main',
      people: [
        { nickname: 'ada', displayName: 'Ada Lovelace', uuid: '{a}' },
        { nickname: 'bob', displayName: 'Bob Builder', uuid: '{b}' },
      ],
    });
  });
});
