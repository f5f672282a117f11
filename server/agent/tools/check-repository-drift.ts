import type { BitbucketClient } from '../../bitbucket';
import { describeSettingChange, diffRepositorySettings } from '../../policies/diff-repository-settings';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { loadRepositorySettings } from './load-repository-settings';
import type { RepositorySettingsMirror } from './repository-settings-mirror';

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
  /** Given, what the check read goes to the mirror too, so the next preview (a Fix) sees a change made by hand. */
  settingsMirror?: RepositorySettingsMirror;
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
    const current = await loadRepositorySettings(input.client, binding.fullName.slice(0, slash), binding.fullName.slice(slash + 1));
    // A cache for previews: failing to write it must not fail the check.
    await input.settingsMirror?.saveSettings(clientKey, current).catch(() => undefined);
    const diff = diffRepositorySettings(template, current);
    checked += 1;
    await templates.ensureBinding(clientKey, {
      fullName: binding.fullName, template: template.name, status: diff.drifted ? 'drifted' : 'in-sync', applied: [], pending: diff.changes, error: null, checkedAt: input.now(),
    });
    if (diff.drifted) drifted.push({ fullName: binding.fullName, template: template.name, changes: diff.changes.map(describeSettingChange) });
  }
  return { checked, drifted };
}
