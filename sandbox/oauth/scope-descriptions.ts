/** What Bitbucket's consent screen says for each scope (paraphrased; shown for every scope of the consumer). */
const DESCRIPTIONS: Record<string, string> = {
  account: 'Read your account information',
  'account:write': 'Read and modify your account information',
  email: 'Read your primary email address',
  repository: 'Read your repositories',
  'repository:write': 'Read and modify your repositories',
  'repository:admin': 'Administer your repositories',
  'repository:delete': 'Delete your repositories',
  pullrequest: 'Read your repositories and their pull requests',
  'pullrequest:write': 'Read and modify your repositories and their pull requests',
  project: 'Read your projects',
  'project:admin': 'Read and modify your projects',
  webhook: 'Read and modify your repositories\u2019 webhooks',
  pipeline: 'Read your pipelines',
  'pipeline:write': 'Read and modify your pipelines',
  'pipeline:variable': 'Read and modify your pipeline variables',
  issue: 'Read your repositories\u2019 issues',
  'issue:write': 'Read and modify your repositories\u2019 issues',
  snippet: 'Read your snippets',
  'snippet:write': 'Read and modify your snippets',
  wiki: 'Read and modify your repositories\u2019 wikis',
  runner: 'Read your workspace and repository runners',
  'runner:write': 'Read and modify your workspace and repository runners',
};

export function toScopeDescription(scope: string): string {
  return DESCRIPTIONS[scope.toLowerCase()] ?? scope;
}
