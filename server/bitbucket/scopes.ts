/**
 * Bitbucket's scope implication lattice (REFERENCE.md §2,
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#scopes): granted lists name only
 * what was ticked, so a check must follow implications, never compare strings.
 */
export const BITBUCKET_SCOPES = [
  'account', 'account:write', 'email',
  'repository', 'repository:write', 'repository:admin', 'repository:delete',
  'pullrequest', 'pullrequest:write',
  'project', 'project:admin',
  'webhook',
  'pipeline', 'pipeline:write', 'pipeline:variable',
  'issue', 'issue:write', 'snippet', 'snippet:write', 'wiki', 'runner', 'runner:write',
] as const;
export type BitbucketScope = (typeof BITBUCKET_SCOPES)[number];

const IMPLIES: Partial<Record<BitbucketScope, BitbucketScope[]>> = {
  'account:write': ['account'],
  'repository:write': ['repository'],
  // repository:admin deliberately implies neither read nor write.
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  'project:admin': ['project'],
  'pipeline:write': ['pipeline'],
  'issue:write': ['issue'],
  'snippet:write': ['snippet'],
  'runner:write': ['runner'],
};

export function isBitbucketScope(value: string): value is BitbucketScope {
  return (BITBUCKET_SCOPES as readonly string[]).includes(value);
}

/** Every scope a set of granted scopes covers, implications followed transitively. */
export function expandScopes(granted: Iterable<string>): Set<BitbucketScope> {
  const out = new Set<BitbucketScope>();
  const stack = [...granted].filter(isBitbucketScope);
  while (stack.length > 0) {
    const scope = stack.pop() as BitbucketScope;
    if (out.has(scope)) continue;
    out.add(scope);
    stack.push(...(IMPLIES[scope] ?? []));
  }
  return out;
}

/** The required scopes that the granted ones do not cover (empty when satisfied). */
export function missingScopes(granted: Iterable<string>, required: Iterable<string>): string[] {
  const have = expandScopes(granted);
  return [...required].filter((r) => !isBitbucketScope(r) || !have.has(r));
}
