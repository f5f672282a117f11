import type { AgentPlanPageFacts, PullRequestPanelView } from '../../server/web/api/contracts';

/** What the panel shows, sent with a request so "the source branch" and "Ada" mean something to Bosun. */
export const toPlanPageFacts = (view: PullRequestPanelView): AgentPlanPageFacts => {
  const users = [view.pullRequest.author, ...view.reviewers.map((r) => r.user)].filter((u): u is NonNullable<typeof u> => u !== null);
  const people = [...new Map(users.map((u) => [u.uuid, u])).values()].map((u) => ({ nickname: u.nickname, displayName: u.displayName, uuid: u.uuid }));
  return {
    title: view.pullRequest.title,
    sourceBranch: view.pullRequest.sourceBranch,
    destinationBranch: view.pullRequest.destinationBranch,
    people,
  };
};
