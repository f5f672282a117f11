import type { RepositoryTemplate } from '../../policies/repository-template';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { ToolError } from '../errors';

/** The tenant's template by name, or a refusal naming the templates there are. */
export async function loadTemplate(templates: RepositoryTemplateStore, clientKey: string, name: string): Promise<RepositoryTemplate> {
  const stored = await templates.get(clientKey, name);
  if (stored) return stored.template;
  const names = (await templates.list(clientKey)).map((t) => t.template.name);
  throw new ToolError(
    names.length > 0 ? `There is no repository template named ${name}; there are ${names.join(', ')}.` : `There is no repository template named ${name}; an admin creates templates in Bosun's settings.`,
  );
}
