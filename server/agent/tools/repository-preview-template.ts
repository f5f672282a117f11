import { z } from 'zod';
import { describeSettingChange, diffRepositorySettings } from '../../policies/diff-repository-settings';
import { templateNameSchema } from '../../policies/repository-template';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { loadRepositorySettings } from './load-repository-settings';
import { loadTemplate } from './load-template';
import { previewTemplateFromMirror, type MirroredPreviewRow, type RepositorySettingsMirror } from './repository-settings-mirror';
import { defineTool } from './tool';
import { toWorkspace } from './tool-inputs';

/**
 * `repository.previewTemplate`: per repository, what applying a template would change. Reads only:
 * from the mirror when given one (no Bitbucket call; what it does not know yet is said so), else live.
 */
export function createRepositoryPreviewTemplate(deps: { templates: RepositoryTemplateStore; settingsMirror?: RepositorySettingsMirror }) {
  return defineTool({
    name: 'repository.previewTemplate',
    description: 'Show, per repository, what applying a repository template would change (changes nothing).',
    input: z.object({
      workspace: z.string().min(1).max(255).optional(),
      repos: z.array(z.string().min(1).max(255)).min(1).max(100).describe('Repository slugs'),
      template: templateNameSchema.describe('Name of the repository template'),
      /** The command that applies this preview (a PR comment's `/bosun apply-template` says what to reply). */
      confirmWith: z.string().min(1).max(200).optional().describe('A command the reply names to apply the preview'),
    }),
    scopes: ['repository:admin', 'webhook'],
    actsAs: 'installation',
    risk: 'read',
    async run(ctx, input) {
      const template = await loadTemplate(deps.templates, ctx.tenant.clientKey, input.template);
      const workspace = toWorkspace(input, ctx.tenant);
      const rows = deps.settingsMirror
        ? await previewTemplateFromMirror(deps.settingsMirror, ctx.tenant.clientKey, template, input.repos.map((repo) => `${workspace}/${repo}`))
        : await previewLive();
      async function previewLive() {
        const out: MirroredPreviewRow[] = [];
        // One repository at a time: a preview of many must not burst the installation's rate limit.
        for (const repo of input.repos) {
          const d = diffRepositorySettings(template, await loadRepositorySettings(ctx.client, workspace, repo));
          out.push({ fullName: d.fullName, changes: d.applicable.map(describeSettingChange), manual: d.changes.filter((c) => 'manual' in c).map(describeSettingChange), unknown: [], drifted: d.drifted });
        }
        return out;
      }
      const diffs = rows.map((r) => ({ ...r, changes: [...r.changes, ...r.manual] }));
      const drifted = diffs.filter((d) => d.drifted);
      const lines = diffs.map((d) => {
        const unknown = d.unknown.length > 0 ? ` (${d.unknown.join('; ')})` : '';
        return d.drifted ? `${d.fullName}: ${d.changes.join('; ')}${unknown}` : `${d.fullName}: ${d.unknown.length > 0 ? `no change known${unknown}` : 'matches'}`;
      });
      const next = input.confirmWith && drifted.length > 0 ? `\nTo apply it, reply \`${input.confirmWith}\`.` : '';
      return {
        summary: `Template ${template.name} would change ${drifted.length} of ${diffs.length} repositor${diffs.length === 1 ? 'y' : 'ies'}.\n${lines.join('\n')}${next}`,
        links: [],
        data: { template: template.name, repositories: diffs.map((d) => ({ fullName: d.fullName, changes: d.changes, unknown: d.unknown, drifted: d.drifted })) },
      };
    },
  });
}
