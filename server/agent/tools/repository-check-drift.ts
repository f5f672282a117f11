import { z } from 'zod';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { checkRepositoryDrift } from './check-repository-drift';
import type { RepositorySettingsMirror } from './repository-settings-mirror';
import { defineTool } from './tool';
import { toWorkspace } from './tool-inputs';

/**
 * `repository.checkDrift`: every repository that follows a template (or the ones named) compared
 * with it again; each binding records what differs now. The same check runs on a schedule.
 */
export function createRepositoryCheckDrift(deps: { templates: RepositoryTemplateStore; settingsMirror?: RepositorySettingsMirror }) {
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
      const { checked, drifted } = await checkRepositoryDrift({
        client: ctx.client, templates: deps.templates, clientKey: ctx.tenant.clientKey, now: ctx.now,
        ...(deps.settingsMirror ? { settingsMirror: deps.settingsMirror } : {}),
        ...(input.repos ? { only: new Set(input.repos.map((r) => `${workspace}/${r}`)) } : {}),
      });
      const summary =
        drifted.length === 0
          ? `All ${checked} repositor${checked === 1 ? 'y matches its' : 'ies match their'} template.`
          : `${drifted.length} of ${checked} repositories differ from their template:\n${drifted.map((d) => `${d.fullName} (${d.template}): ${d.changes.join('; ')}`).join('\n')}`;
      return { summary, links: [], data: { checked, drifted } };
    },
  });
}
