import { z } from 'zod';
import { BUILT_IN_RULE_KINDS, createRuleKindRegistry, type RuleKindRegistry } from '../planner/rule-kinds';
import { defineTool } from './tool';
import { repoFields, toRepoName } from './tool-inputs';

/**
 * What a rule in dry-run would have done, as one audit step: it writes nothing to Bitbucket. Rules
 * plan it instead of the real steps until an admin switches the rule `on`; not offered to people
 * (the policy editor's preview and the audit log are where they see it).
 */
export function createRuleRecordDryRun(kinds: RuleKindRegistry) {
  return defineTool({
    name: 'rule.recordDryRun',
    description: 'Record what an automation rule in dry-run would do (no change in Bitbucket).',
    input: z.object({
      ...repoFields,
      // The kinds registered at the composition root (a plan naming another is not valid).
      rule: z.string().refine((kind) => kinds.has(kind), { message: 'Not a registered rule kind' }),
      pullRequestId: z.number().int().positive().optional(),
      wouldDo: z.array(z.string().min(1).max(500)).min(1).max(20),
    }),
    scopes: [],
    actsAs: 'installation',
    risk: 'read',
    run(ctx, input) {
      const where = input.pullRequestId !== undefined ? `#${input.pullRequestId} in ${toRepoName(input, ctx.tenant)}` : toRepoName(input, ctx.tenant);
      return Promise.resolve({
        summary: `Dry run of the ${input.rule} rule on ${where}: would ${input.wouldDo.join('; ')}. Nothing was changed.`,
        links: [],
        data: { dryRun: true, rule: input.rule, wouldDo: input.wouldDo },
      });
    },
  });
}

/** The record for Bosun's built-in rule kinds only. */
export const ruleRecordDryRun = createRuleRecordDryRun(createRuleKindRegistry(BUILT_IN_RULE_KINDS));
