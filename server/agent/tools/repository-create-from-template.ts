import { z } from 'zod';
import { isBitbucketFailure } from '../../bitbucket';
import { describeSettingChange } from '../../policies/diff-repository-settings';
import { templateNameSchema } from '../../policies/repository-template';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { ToolError } from '../errors';
import { ensureRepositoryTemplate } from './ensure-repository-template';
import { describeReadmeStep, ensureTemplateReadme } from './ensure-template-readme';
import { loadTemplate } from './load-template';
import type { RepositorySettingsMirror } from './repository-settings-mirror';
import { defineTool } from './tool';
import { toHtmlLink, toWorkspace } from './tool-inputs';

/**
 * `repository.createFromTemplate`: creates the repository (unless it exists), commits the
 * template's README skeleton, and applies every setting of the template, reporting each step.
 * Asked again after a stop part-way, it finds the repository there and does only what is missing
 * (the resume). The README goes first: a push restriction the template adds would refuse it after.
 */
export function createRepositoryCreateFromTemplate(deps: { templates: RepositoryTemplateStore; settingsMirror?: RepositorySettingsMirror }) {
  return defineTool({
    name: 'repository.createFromTemplate',
    description: 'Create a repository from a repository template: create it, then apply every setting of the template.',
    input: z.object({
      workspace: z.string().min(1).max(255).optional(),
      repo: z
        .string()
        .min(1)
        .max(62)
        .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case slug (letters, digits, . _ -)')
        .describe('Slug of the new repository'),
      template: templateNameSchema.describe('Name of the repository template'),
      projectKey: z.string().min(1).max(64).optional(),
    }),
    scopes: ['repository:admin', 'repository:write', 'webhook', 'pipeline:write'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, input) {
      const template = await loadTemplate(deps.templates, ctx.tenant.clientKey, input.template);
      const workspace = toWorkspace(input, ctx.tenant);
      const s = template.settings;
      const existing = await ctx.client.repositories.get(workspace, input.repo).catch((error: unknown) => {
        if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
        throw error;
      });
      const repo =
        existing ??
        (await ctx.client.repositories.create(workspace, input.repo, {
          scm: 'git',
          is_private: s.isPrivate ?? true,
          ...(s.description !== undefined ? { description: s.description } : {}),
          ...(input.projectKey !== undefined ? { project: { key: input.projectKey } } : {}),
        }));
      const created = existing ? `✓ repository ${repo.full_name} was already there` : `✓ created repository ${repo.full_name}`;
      const readmeSteps: string[] = [];
      if (s.readme !== undefined) {
        try {
          const step = await ensureTemplateReadme({
            client: ctx.client, workspace, repo: input.repo, readme: s.readme, template: template.name, created: !existing,
            branch: s.mainBranch ?? repo.mainbranch?.name ?? undefined,
          });
          readmeSteps.push(describeReadmeStep(step));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ToolError(
            `${created}, then stopped at README.md from template ${template.name}: ${reason} Not applied yet: README.md and the template's settings. Create it from the template again to resume.`,
          );
        }
      }
      const { applied, manual } = await ensureRepositoryTemplate({
        client: ctx.client, templates: deps.templates, clientKey: ctx.tenant.clientKey, workspace, repo: input.repo, template, now: ctx.now,
        ...(deps.settingsMirror ? { settingsMirror: deps.settingsMirror } : {}),
      });
      const steps = [
        created,
        ...readmeSteps,
        ...applied.map((c) => `✓ ${describeSettingChange(c)}`),
        ...manual.map((c) => `✗ ${describeSettingChange(c)}`),
      ];
      return {
        summary: `${existing ? 'Finished' : 'Created'} ${repo.full_name} from template ${template.name}.\n${steps.join('\n')}`,
        links: toHtmlLink(repo.full_name, repo),
        data: { fullName: repo.full_name, uuid: repo.uuid, created: !existing, steps },
      };
    },
  });
}
