import type { BitbucketClient } from '../../bitbucket';
import { describeSettingChange, diffRepositorySettings, type RepositorySettingChange, type RepositorySettingsDiff } from '../../policies/diff-repository-settings';
import type { RepositoryTemplate } from '../../policies/repository-template';
import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import { toSettingsAfter } from '../../policies/preview-mirrored-settings';
import { applySettingChange } from './apply-setting-change';
import { loadRepositorySettings } from './load-repository-settings';
import type { RepositorySettingsMirror } from './repository-settings-mirror';
import { ToolError } from '../errors';

export interface EnsureTemplateResult {
  diff: RepositorySettingsDiff;
  applied: RepositorySettingChange[];
  /** Differences with no API (merge strategies), left for a person. */
  manual: RepositorySettingChange[];
}

/**
 * Brings one repository to its template: reads its settings, applies what differs one change at a
 * time, and records the outcome as the repository's binding. Safe to re-run: what is in place is
 * not listed again. A change Bitbucket refuses stops the run; the binding then says what was
 * applied and what was not, and a re-run resumes from there.
 */
export async function ensureRepositoryTemplate(input: {
  client: BitbucketClient;
  templates: RepositoryTemplateStore;
  clientKey: string;
  workspace: string;
  repo: string;
  template: RepositoryTemplate;
  now: () => Date;
  /** Given, the mirror gets what the apply left in place (stopped part-way too), so previews read it. */
  settingsMirror?: RepositorySettingsMirror;
}): Promise<EnsureTemplateResult> {
  const { client, workspace, repo, template } = input;
  const current = await loadRepositorySettings(client, workspace, repo);
  const diff = diffRepositorySettings(template, current);
  // The mirror's copy is a cache for previews: failing to write it must not fail the apply.
  const noteApplied = (applied: RepositorySettingChange[]) => input.settingsMirror?.saveSettings(input.clientKey, toSettingsAfter(current, applied)).catch(() => undefined);
  const manual = diff.changes.filter((c) => 'manual' in c);
  const applied: RepositorySettingChange[] = [];
  for (const [i, change] of diff.applicable.entries()) {
    try {
      await applySettingChange(client, workspace, repo, change);
      applied.push(change);
    } catch (error) {
      const pending = [...diff.applicable.slice(i), ...manual];
      const reason = error instanceof Error ? error.message : String(error);
      await noteApplied(applied);
      await input.templates.ensureBinding(input.clientKey, {
        fullName: diff.fullName, template: template.name, status: 'partial', applied, pending, error: reason, checkedAt: input.now(),
      });
      // Worded for people (a ToolError reaches them as it is); the binding keeps the detail.
      throw new ToolError(
        `Applied ${applied.length} of ${diff.applicable.length} changes of template ${template.name} to ${diff.fullName}, then stopped at "${describeSettingChange(change)}": ${reason} Not applied yet: ${pending.map(describeSettingChange).join('; ')}. Apply the template again to resume.`,
      );
    }
  }
  await noteApplied(applied);
  await input.templates.ensureBinding(input.clientKey, {
    fullName: diff.fullName,
    template: template.name,
    status: manual.length > 0 ? 'drifted' : 'in-sync',
    applied,
    pending: manual,
    error: null,
    checkedAt: input.now(),
  });
  return { diff, applied, manual };
}
