import { z } from 'zod';
import { describeSettingChange } from '../../policies/diff-repository-settings';
import { templateNameSchema } from '../../policies/repository-template';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { ensureRepositoryTemplate } from './ensure-repository-template';
import { loadTemplate } from './load-template';
import type { RepositorySettingsMirror } from './repository-settings-mirror';
import { defineTool } from './tool';
import { repoFields, toWorkspace } from './tool-inputs';

/**
 * `repository.applyTemplate`: one repository brought to a template. A bulk apply is one execution
 * of this per repository (each with its own audit entry and progress); re-running it changes only
 * what differs, and after a stop part-way it resumes.
 */
export function createRepositoryApplyTemplate(deps: { templates: RepositoryTemplateStore; settingsMirror?: RepositorySettingsMirror }) {
  return defineTool({
    name: 'repository.applyTemplate',
    description: "Apply a repository template's settings to a repository; what is already in place is left alone.",
    input: z.object({ ...repoFields, template: templateNameSchema.describe('Name of the repository template') }),
    scopes: ['repository:admin', 'webhook', 'pipeline:write'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, input) {
      const template = await loadTemplate(deps.templates, ctx.tenant.clientKey, input.template);
      const workspace = toWorkspace(input, ctx.tenant);
      const { diff, applied, manual } = await ensureRepositoryTemplate({
        client: ctx.client, templates: deps.templates, clientKey: ctx.tenant.clientKey, workspace, repo: input.repo, template, now: ctx.now,
        ...(deps.settingsMirror ? { settingsMirror: deps.settingsMirror } : {}),
      });
      const lines = [
        ...applied.map((c) => `✓ ${describeSettingChange(c)}`),
        ...manual.map((c) => `✗ ${describeSettingChange(c)}`),
      ];
      const summary =
        applied.length === 0 && manual.length === 0
          ? `${diff.fullName} already matches template ${template.name}; nothing changed.`
          : `Applied template ${template.name} to ${diff.fullName}: ${applied.length} change${applied.length === 1 ? '' : 's'}${manual.length > 0 ? `, ${manual.length} to make by hand` : ''}.\n${lines.join('\n')}`;
      return {
        summary,
        links: [],
        data: { fullName: diff.fullName, template: template.name, applied: applied.map(describeSettingChange), manual: manual.map(describeSettingChange) },
      };
    },
  });
}
