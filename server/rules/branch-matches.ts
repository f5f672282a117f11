/** A branch restriction as far as matching goes (Bitbucket's field names). */
export interface RestrictionScope {
  branch_match_kind?: string | null | undefined;
  pattern?: string | null | undefined;
  branch_type?: string | null | undefined;
}

/** Bitbucket's default branching-model prefixes (the development branch is the main branch). */
const BRANCH_TYPE_PREFIX: Record<string, string> = { feature: 'feature/', bugfix: 'bugfix/', release: 'release/', hotfix: 'hotfix/' };

/**
 * Glob as Bitbucket reads it in branch restrictions: `*` matches any run of characters, including
 * `/`; `?` one character (unverified: the sandbox's reading, sandbox/state/glob.ts).
 */
export function toBranchGlob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Does a restriction apply to `branch`? `glob` compares the pattern; `branching_model` uses the
 * default prefixes, with `development` meaning the main branch. `production` is unknown without
 * the repository's branching model, so it never matches here.
 * https://support.atlassian.com/bitbucket-cloud/docs/use-glob-patterns-on-the-branch-permissions-page/
 */
export function isRestrictionForBranch(restriction: RestrictionScope, branch: string, mainBranch: string | null = null): boolean {
  if ((restriction.branch_match_kind ?? 'glob') === 'glob') {
    const pattern = restriction.pattern;
    if (!pattern) return false;
    // Without a wildcard the glob is the name itself (the readiness of thousands of PRs built a RegExp per PR and restriction).
    return /[*?]/.test(pattern) ? toBranchGlob(pattern).test(branch) : pattern === branch;
  }
  if (restriction.branch_type === 'development') return mainBranch !== null && branch === mainBranch;
  const prefix = restriction.branch_type ? BRANCH_TYPE_PREFIX[restriction.branch_type] : undefined;
  return prefix !== undefined && branch.startsWith(prefix);
}
