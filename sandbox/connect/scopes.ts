/**
 * Bitbucket's scope implication lattice. Granted lists name only what was ticked, so checks
 * go through this closure, never string equality. repository:admin implies neither read nor write.
 * https://developer.atlassian.com/cloud/bitbucket/bitbucket-cloud-rest-api-scopes/
 */
const IMPLIES: Record<string, string[]> = {
  'repository:write': ['repository'],
  'repository:delete': [],
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  'project:admin': ['project'],
  'pipeline:write': ['pipeline'],
  'pipeline:variable': ['pipeline', 'pipeline:write'],
  'issue:write': ['issue'],
  'snippet:write': ['snippet'],
  'runner:write': ['runner'],
  email: ['account'],
  'account:write': ['account'],
  'wiki': [],
  'webhook': [],
};

/** Every scope the granted list stands for (case-insensitive, Connect descriptors often use upper case). */
export function toEffectiveScopes(granted: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (scope: string): void => {
    if (out.has(scope)) return;
    out.add(scope);
    for (const implied of IMPLIES[scope] ?? []) visit(implied);
  };
  for (const g of granted) visit(g.toLowerCase());
  return out;
}

export function hasScope(granted: readonly string[], required: string): boolean {
  return toEffectiveScopes(granted).has(required.toLowerCase());
}

/** Which scope a webhook event needs for delivery to a Connect app. */
export function toEventScope(event: string): string {
  if (event.startsWith('pullrequest:')) return 'pullrequest';
  if (event.startsWith('repo:')) return 'repository';
  if (event.startsWith('issue:')) return 'issue';
  return 'account';
}
