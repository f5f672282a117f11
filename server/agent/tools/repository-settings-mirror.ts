import type { RepositorySettings } from '../../policies/diff-repository-settings';
import { describeSettingChange } from '../../policies/diff-repository-settings';
import { describeUnknownSetting, previewMirroredSettings, type MaybeUnknownSetting } from '../../policies/preview-mirrored-settings';
import type { RepositoryTemplate } from '../../policies/repository-template';

/** A repository's settings as the mirror holds them, and what it does not know yet. */
export interface MirroredSettings {
  settings: RepositorySettings;
  unknown: MaybeUnknownSetting[];
}

/**
 * The mirror's copy of repository settings (implemented at the composition root over mirror/):
 * previews read it instead of Bitbucket, and Bosun's own applies write what they left in place.
 */
export interface RepositorySettingsMirror {
  /** Keyed by lower-cased `workspace/slug`; a repository the mirror has not met is absent. */
  loadMany(clientKey: string, fullNames: readonly string[]): Promise<Map<string, MirroredSettings>>;
  /** Settings Bosun read from Bitbucket (a drift check) or left in place (an apply); no-op for a repository the mirror has not met. */
  saveSettings(clientKey: string, settings: RepositorySettings): Promise<void>;
}

export interface MirroredPreviewRow {
  fullName: string;
  /** Changes Bosun would make. */
  changes: string[];
  /** Changes with no API (merge strategies), for a person. */
  manual: string[];
  /** Settings the mirror does not know yet: checked at apply. */
  unknown: string[];
  drifted: boolean;
}

/**
 * Per repository, what applying a template would change, from the mirror only (no Bitbucket call,
 * whatever the number of repositories). What the mirror does not know yet is listed, never read live.
 */
export async function previewTemplateFromMirror(mirror: RepositorySettingsMirror, clientKey: string, template: RepositoryTemplate, fullNames: readonly string[]): Promise<MirroredPreviewRow[]> {
  const known = await mirror.loadMany(clientKey, fullNames);
  return fullNames.map((fullName) => {
    const mirrored = known.get(fullName.toLowerCase());
    if (!mirrored) return { fullName, changes: [], manual: [], unknown: ['not in the mirror yet: every setting is checked at apply'], drifted: false };
    const { diff, unknown } = previewMirroredSettings(template, mirrored.settings, mirrored.unknown);
    return {
      fullName: diff.fullName,
      changes: diff.applicable.map(describeSettingChange),
      manual: diff.changes.filter((c) => 'manual' in c).map(describeSettingChange),
      unknown: unknown.map(describeUnknownSetting),
      drifted: diff.drifted,
    };
  });
}
