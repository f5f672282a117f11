import type { PullRequestRuleFacts } from '../../../../server/agent';
import { resolvePolicy, type PolicyLayer } from '../../../../server/policies';

export const RULES_REPOSITORY_UUID = '{7eb00000-0000-4000-8000-00000000a001}';

/**
 * A PR event's rule facts for the planners' unit tests: an open PR on acme/web touching
 * src/ui/button.ts, no reviewers, statuses, tasks or restrictions yet, under one workspace layer.
 */
export function toRuleFacts(layer: PolicyLayer, pr: { id: number; title: string; authorUuid: string; sourceBranch: string }, over: Partial<PullRequestRuleFacts> = {}): PullRequestRuleFacts {
  return {
    event: 'created',
    workspace: 'acme',
    repo: 'web',
    repositoryUuid: RULES_REPOSITORY_UUID,
    pullRequest: { id: pr.id, title: pr.title, description: '', state: 'OPEN', authorUuid: pr.authorUuid, reviewerUuids: [], sourceBranch: pr.sourceBranch, commitHash: 'a'.repeat(40) },
    changedPaths: ['src/ui/button.ts'],
    defaultReviewerUuids: [],
    openReviews: {},
    readinessInput: {
      pullRequest: { state: 'OPEN', draft: false, title: pr.title, authorUuid: pr.authorUuid, sourceBranch: pr.sourceBranch, destinationBranch: 'main' },
      participants: [],
      statuses: [],
      tasks: [],
      restrictions: [],
      defaultReviewerUuids: [],
      mainBranch: 'main',
    },
    resolved: resolvePolicy([{ source: 'workspace', data: layer }]),
    bosunFilePresent: false,
    ...over,
  };
}
