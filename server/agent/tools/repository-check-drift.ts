import { z } from 'zod';
import { describeSettingChange, diffRepositorySettings } from '../../policies/diff-repository-settings';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { loadRepositorySettings } from './load-repository-settings';
import { defineTool } from './tool';
import { toWorkspace } from './tool-inputs';

/**
 * `repository.checkDrift`: every repository that follows a template (or the ones named) compared
 * with it again; each binding records what differs now. A template deleted since is skipped.
 */
export function createRepositoryCheckDrift(deps: { templates: RepositoryTemplateStore }) {
  return defineTool({
    name: 'repository.checkDrift',
    description: 'Check which repositories differ from their repository template, and what differs (changes nothing).',
    input: z.object({
      workspace: z.string().min(1).max(255).optional(),
      repos: z.array(z.string().min(1).max(255)).max(500).optional().describe('Only these repository slugs; all that follow a template by default'),
    }),
    scopes: ['repository:admin', 'webhook'],
    actsAs: 'installation',
    risk: 'read',
    async run(ctx, input) {
      const workspace = toWorkspace(input, ctx.tenant);
      const clientKey = ctx.tenant.clientKey;
      const wanted = input.repos ? new Set(input.repos.map((r) => `${workspace}/${r}`)) : null;
      const bindings = (await deps.templates.listBindings(clientKey)).filter((b) => !wanted || wanted.has(b.fullName));
      const byName = new Map((await deps.templates.list(clientKey)).map((t) => [t.template.name, t.template]));
      const drifted: Array<{ fullName: string; template: string; changes: string[] }> = [];
      for (const binding of bindings) {
        const template = byName.get(binding.template);
        if (!template) continue;
        const [ws, slug] = [binding.fullName.slice(0, binding.fullName.indexOf('/')), binding.fullName.slice(binding.fullName.indexOf('/') + 1)];
        const diff = diffRepositorySettings(template, await loadRepositorySettings(ctx.client, ws || workspace, slug));
        await deps.templates.ensureBinding(clientKey, {
          fullName: binding.fullName, template: template.name, status: diff.drifted ? 'drifted' : 'in-sync', applied: [], pending: diff.changes, error: null, checkedAt: ctx.now(),
        });
        if (diff.drifted) drifted.push({ fullName: binding.fullName, template: template.name, changes: diff.changes.map(describeSettingChange) });
      }
      const summary =
        drifted.length === 0
          ? `All ${bindings.length} repositor${bindings.length === 1 ? 'y matches its' : 'ies match their'} template.`
          : `${drifted.length} of ${bindings.length} repositories differ from their template:\n${drifted.map((d) => `${d.fullName} (${d.template}): ${d.changes.join('; ')}`).join('\n')}`;
      return { summary, links: [], data: { checked: bindings.length, drifted } };
    },
  });
}
