import { diffRepositorySettings, type RepositorySettingChange, type RepositorySettings, type RepositorySettingsDiff } from './diff-repository-settings';
import type { RepositoryTemplate, TemplateSettings } from './repository-template';

/** Settings the mirror may not know yet for a repository (never listed, or refused for a missing scope). */
export type MaybeUnknownSetting = 'branchRestrictions' | 'defaultReviewers' | 'webhooks' | 'pipelinesEnabled' | 'mergeStrategies';

export interface MirroredSettingsPreview {
  diff: RepositorySettingsDiff;
  /** Settings the template manages that the mirror cannot answer: checked, and changed if needed, at apply. */
  unknown: MaybeUnknownSetting[];
}

const LABELS: Readonly<Record<MaybeUnknownSetting, string>> = {
  branchRestrictions: 'branch restrictions',
  defaultReviewers: 'default reviewers',
  webhooks: 'webhooks',
  pipelinesEnabled: 'Pipelines',
  mergeStrategies: 'merge strategies',
};

/** One line per unknown setting, for previews: not read live, so the preview costs no Bitbucket call. */
export const describeUnknownSetting = (setting: MaybeUnknownSetting): string => `${LABELS[setting]}: not known yet, checked at apply`;

/**
 * A preview from the mirror: the template's diff against what the mirror holds, leaving out the
 * settings it does not know yet (listed as unknown rather than guessed, and never read live).
 */
export function previewMirroredSettings(template: RepositoryTemplate, current: RepositorySettings, unknown: readonly MaybeUnknownSetting[]): MirroredSettingsPreview {
  const managed = unknown.filter((k) => template.settings[k] !== undefined);
  const settings: TemplateSettings = { ...template.settings };
  for (const key of managed) delete settings[key];
  return { diff: diffRepositorySettings({ ...template, settings }, current), unknown: managed };
}

/**
 * Pure: the settings once these changes were applied, as the mirror should hold them after an apply.
 * A rule or webhook created here has no id or uuid yet (0 and ''): the next listing brings them.
 * Merge strategies are unchanged (no write API).
 */
export function toSettingsAfter(current: RepositorySettings, applied: readonly RepositorySettingChange[]): RepositorySettings {
  const next: RepositorySettings = {
    ...current,
    branchRestrictions: current.branchRestrictions.map((r) => ({ ...r })),
    defaultReviewers: [...current.defaultReviewers],
    webhooks: current.webhooks.map((w) => ({ ...w })),
  };
  for (const change of applied) {
    switch (change.setting) {
      case 'isPrivate':
        next.isPrivate = change.to;
        break;
      case 'mainBranch':
        next.mainBranch = change.to;
        break;
      case 'description':
        next.description = change.to;
        break;
      case 'branchRestriction': {
        const rule = { kind: change.kind, pattern: change.pattern, value: change.to.value, users: [...change.to.users], groups: [...change.to.groups] };
        const i = next.branchRestrictions.findIndex((r) => (change.id !== undefined && r.id === change.id) || (r.kind === change.kind && r.pattern === change.pattern));
        if (i >= 0) next.branchRestrictions[i] = { ...next.branchRestrictions[i]!, ...rule };
        else next.branchRestrictions.push({ id: 0, ...rule });
        break;
      }
      case 'defaultReviewer':
        if (!next.defaultReviewers.some((u) => u.toLowerCase() === change.uuid.toLowerCase())) next.defaultReviewers.push(change.uuid);
        break;
      case 'webhook': {
        const hook = { description: change.to.description, url: change.to.url, events: [...change.to.events], active: change.to.active };
        const i = next.webhooks.findIndex((w) => (change.uuid !== undefined && w.uuid === change.uuid) || w.url === change.to.url);
        if (i >= 0) next.webhooks[i] = { ...next.webhooks[i]!, ...hook };
        else next.webhooks.push({ uuid: '', ...hook });
        break;
      }
      case 'pipelinesEnabled':
        next.pipelinesEnabled = change.to;
        break;
      case 'mergeStrategies':
        break;
    }
  }
  return next;
}
