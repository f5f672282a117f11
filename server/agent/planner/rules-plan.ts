import { createHash } from 'node:crypto';
import type { RuleMode } from '../../policies';
import type { Plan, PlanStep } from '../executor/plan';
import type { RuleKind } from './rule-kinds';

export type { RuleKind } from './rule-kinds';

/** One rule's plan for the executor, with the key that makes a repeated trigger run it once. */
export interface RulePlan {
  rule: RuleKind;
  /** `on`: the real steps; `dry-run`: one `rule.recordDryRun` step saying what they would be. */
  mode: Exclude<RuleMode, 'off'>;
  idempotencyKey: string;
  /** Destructive steps (a decline) are confirmed by the policy that switched the rule on. */
  confirmed: boolean;
  plan: Plan;
  /** What the plan does in words (in both modes): previews show it to people. */
  wouldDo: string[];
}

/** A short stable digest of what a plan would write: the same desired state gives the same key. */
export function toDigest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * The rule's plan in its mode: the steps when on, else one dry-run record naming each of them.
 * The dry-run key includes what it would do, so an unchanged answer is recorded once.
 */
export function toRulePlan(input: {
  rule: RuleKind;
  mode: Exclude<RuleMode, 'off'>;
  key: string;
  summary: string;
  steps: PlanStep[];
  wouldDo: string[];
  target: { workspace: string; repo: string; pullRequestId?: number | undefined };
  confirmed?: boolean;
}): RulePlan {
  const wouldDo = input.wouldDo.map((w) => w.slice(0, 500)).slice(0, 20);
  if (input.mode === 'on') {
    return { rule: input.rule, mode: 'on', idempotencyKey: input.key, confirmed: input.confirmed ?? false, plan: { steps: input.steps, summary: input.summary, source: 'rule' }, wouldDo };
  }
  return {
    rule: input.rule,
    mode: 'dry-run',
    idempotencyKey: `${input.key}:dry-run:${toDigest(wouldDo)}`,
    confirmed: false,
    plan: {
      steps: [{ tool: 'rule.recordDryRun', input: { ...input.target, rule: input.rule, wouldDo } }],
      summary: `Dry run: ${input.summary}`,
      source: 'rule',
    },
    wouldDo,
  };
}
