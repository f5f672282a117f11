import { createDefaultToolCatalog, createMemoryAutoMergeStore, createPullRequestRulesTools, createToolCatalog, type PlannerContext } from '../../../../server/agent';
import { createMemoryRepositoryTemplateStore } from '../../../../server/policies/memory-repository-template-store';
import type { CorpusContext } from './phrasings';

// With a template store, so the repository template tools are in the catalog the corpus covers.
// The merge queue's tools are in the catalog only with a queue; planning never calls it.
const planningOnlyQueue = { submit: () => Promise.reject(new Error('planning only')), load: () => Promise.reject(new Error('planning only')), loadLandingPolicy: () => Promise.reject(new Error('planning only')), mayUseLane: () => Promise.reject(new Error('planning only')) };
// The rules' tools likewise come with the rules (create-automation's catalog).
const planningOnlyRules = { preview: () => Promise.reject(new Error('planning only')), run: () => Promise.reject(new Error('planning only')) };
const tools = createToolCatalog([
  ...createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore(), templates: createMemoryRepositoryTemplateStore(), mergeQueue: planningOnlyQueue }).tools,
  ...createPullRequestRulesTools({ rules: planningOnlyRules }),
]);
const tenant = { clientKey: 'ck-test', workspace: 'acme' };
const repo = { workspace: 'acme', slug: 'web' };

/** Where each corpus phrasing is typed: the PR panel of acme/web #3, a repository page, a PR comment without page facts. */
export const CORPUS_CONTEXTS: Record<CorpusContext, PlannerContext> = {
  pr: {
    tenant,
    repo,
    pullRequestId: 3,
    tools,
    facts: {
      pullRequest: { title: 'Add login', sourceBranch: 'feature/login', destinationBranch: 'main' },
      people: [
        { nickname: 'ada', displayName: 'Ada Lovelace', uuid: '{00000000-0000-4000-8000-00000000000a}' },
        { nickname: 'adam', displayName: 'Adam Smith', uuid: '{00000000-0000-4000-8000-00000000000b}' },
        { nickname: 'bob', displayName: 'Bob Builder', uuid: '{00000000-0000-4000-8000-00000000000c}' },
      ],
    },
  },
  repo: { tenant, repo, tools },
  bare: { tenant, repo, pullRequestId: 3, tools },
};

