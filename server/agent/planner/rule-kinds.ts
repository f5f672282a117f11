/**
 * The kinds of automation rule, by name. A new kind declares itself in its own file by augmenting
 * this interface (`declare module '<path>/agent/planner/rule-kinds' { interface RuleKinds { myKind: true } }`)
 * and is registered at the composition root ({@link createRuleKindRegistry}); nothing here changes.
 */
export interface RuleKinds {
  readiness: true;
  reviewers: true;
  botPullRequests: true;
  stale: true;
  description: true;
  config: true;
  buildFailures: true;
}

export type RuleKind = keyof RuleKinds & string;

/** The kinds Bosun's own planners (rules-*-planner.ts, the failed-builds comment) plan for. */
export const BUILT_IN_RULE_KINDS: readonly RuleKind[] = ['readiness', 'reviewers', 'botPullRequests', 'stale', 'description', 'config', 'buildFailures'];

/**
 * The port: which rule kinds this process runs. Declared here, where it is used (the dry-run record
 * checks a plan's rule against it); the composition root builds it from the kinds it wires.
 */
export interface RuleKindRegistry {
  readonly kinds: readonly RuleKind[];
  has(kind: string): kind is RuleKind;
}

export function createRuleKindRegistry(kinds: readonly RuleKind[]): RuleKindRegistry {
  const known = new Set<string>();
  for (const kind of kinds) {
    if (known.has(kind)) throw new Error(`The rule kind ${kind} is registered twice`);
    known.add(kind);
  }
  return { kinds: [...known] as RuleKind[], has: (kind: string): kind is RuleKind => known.has(kind) };
}
