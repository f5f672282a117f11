import type { PlannerFacts } from '../../agent';
import type { WebhookCommentEvent } from '../../host';

/** What the PR shows, for `/bosun ask …` ("the source branch", "ada") and commands on the source branch. */
export function toCommentPlannerFacts(event: WebhookCommentEvent): PlannerFacts {
  const pr = event.pullRequest;
  const accounts = [pr.author, ...pr.participants, ...pr.reviewers].filter((a): a is NonNullable<typeof a> => a !== null && a.type !== 'app_user');
  const people = [...new Map(accounts.map((a) => [a.uuid ?? a.nickname ?? a.displayName, a])).values()].map((a) => ({
    nickname: a.nickname,
    displayName: a.displayName,
    uuid: a.uuid,
  }));
  return {
    pullRequest: {
      ...(pr.title ? { title: pr.title } : {}),
      ...(pr.sourceBranch ? { sourceBranch: pr.sourceBranch } : {}),
      ...(pr.destinationBranch ? { destinationBranch: pr.destinationBranch } : {}),
    },
    people,
  };
}
