import type { BitbucketClient } from '../../bitbucket';
import { describeSettingChange, diffRepositorySettings } from '../../policies/diff-repository-settings';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { loadRepositorySettings } from './load-repository-settings';

export interface DriftReport {
  checked: number;
  drifted: Array<{ fullName: string; template: string; changes: string[] }>;
}

/**
 * Compares every repository that follows a template (or those in `only`) with its template again
 * and records what differs as its binding. Reads Bitbucket, writes only bindings; bindings of a
 * template deleted since are skipped. Used on demand (repository.checkDrift) and on a schedule.
 */
export async function checkRepositoryDrift(input: {
  client: BitbucketClient;
  templates: RepositoryTemplateStore;
  clientKey: string;
  /** `workspace/slug` names; all bindings when absent. */
  only?: ReadonlySet<string>;
  now: () => Date;
}): Promise<DriftReport> {
  const { clientKey, templates } = input;
  const bindings = (await templates.listBindings(clientKey)).filter((b) => !input.only || input.only.has(b.fullName));
  const byName = new Map((await templates.list(clientKey)).map((t) => [t.template.name, t.template]));
  const drifted: DriftReport['drifted'] = [];
  let checked = 0;
  for (const binding of bindings) {
    const template = byName.get(binding.template);
    if (!template) continue;
    const slash = binding.fullName.indexOf('/');
    const diff = diffRepositorySettings(template, await loadRepositorySettings(input.client, binding.fullName.slice(0, slash), binding.fullName.slice(slash + 1)));
    checked += 1;
    await templates.ensureBinding(clientKey, {
      fullName: binding.fullName, template: template.name, status: diff.drifted ? 'drifted' : 'in-sync', applied: [], pending: diff.changes, error: null, checkedAt: input.now(),
    });
    if (diff.drifted) drifted.push({ fullName: binding.fullName, template: template.name, changes: diff.changes.map(describeSettingChange) });
  }
  return { checked, drifted };
}
