import { z } from 'zod';
import { TEMPLATE_RESTRICTION_KINDS, VALUED_RESTRICTION_KINDS } from '../../policies/repository-template';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';

/**
 * `branchRestriction.ensure`: one branch restriction in place, e.g. "require 2 approvals on main".
 * Bitbucket keeps one rule per kind and pattern, so an existing rule with another number is
 * changed in place; the same rule already there is left alone (safe to repeat).
 */
export const branchRestrictionEnsure = defineTool({
  name: 'branchRestriction.ensure',
  description: 'Make sure a branch restriction is in place on a branch or glob (e.g. require 2 approvals to merge into main).',
  input: z
    .object({
      ...repoFields,
      kind: z.enum(TEMPLATE_RESTRICTION_KINDS).describe('Branch restriction kind'),
      pattern: z.string().min(1).max(200).regex(/^\S+$/).describe('Branch name or glob, e.g. main or release/*'),
      value: z.number().int().min(0).max(100).optional().describe('The number for approvals, builds and commits-behind kinds'),
    })
    .refine((i) => VALUED_RESTRICTION_KINDS.has(i.kind) === (i.value !== undefined), { message: 'value is required for approval, build and commits-behind kinds, and only for them', path: ['value'] }),
  scopes: ['repository:admin'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const name = toRepoName(input, ctx.tenant);
    const rules = await ctx.client.branchRestrictions.list(workspace, input.repo, { kind: input.kind });
    const have = rules.find((r) => r.pattern === input.pattern);
    const what = `${input.kind}${input.value !== undefined ? ` = ${input.value}` : ''} on ${input.pattern}`;
    if (have && (input.value === undefined || have.value === input.value)) {
      return { summary: `${name} already has ${what}; nothing changed.`, links: [], data: { id: have.id, changed: false } };
    }
    const body = { kind: input.kind, branch_match_kind: 'glob' as const, pattern: input.pattern, ...(input.value !== undefined ? { value: input.value } : {}) };
    if (have) {
      const updated = await ctx.client.branchRestrictions.update(workspace, input.repo, have.id, body);
      return { summary: `Changed ${name}'s ${input.kind} on ${input.pattern} from ${have.value ?? 'none'} to ${input.value}.`, links: [], data: { id: updated.id, changed: true } };
    }
    if (ctx.step?.mayBeApplied) {
      // A takeover: the earlier run's POST may have landed between the list above and now.
      const again = (await ctx.client.branchRestrictions.list(workspace, input.repo, { kind: input.kind })).find((r) => r.pattern === input.pattern);
      if (again) return { summary: `${name} already has ${what}; nothing changed.`, links: [], data: { id: again.id, changed: false } };
    }
    const created = await ctx.client.branchRestrictions.create(workspace, input.repo, body);
    return { summary: `Added ${what} to ${name}.`, links: [], data: { id: created.id, changed: true } };
  },
});
