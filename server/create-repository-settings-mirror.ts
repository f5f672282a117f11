import type { RepositorySettingsMirror } from './agent/tools/repository-settings-mirror';
import type { MirrorStore } from './mirror';
import { loadMirroredRepositorySettings, saveRepositorySettingsFacts } from './mirror/repository-settings-facts';

/**
 * The mirror's copy of repository settings for the template tools and views (composition root:
 * agent/ declares the port, mirror/ keeps the facts). Reads cost no Bitbucket call; writes record
 * what Bosun's own applies left in place, so the next preview shows them without waiting for the sweep.
 */
export function createRepositorySettingsMirror(deps: { store: MirrorStore; now: () => Date }): RepositorySettingsMirror {
  return {
    async loadMany(clientKey, fullNames) {
      const mirrored = await loadMirroredRepositorySettings(deps.store, clientKey, fullNames);
      return new Map([...mirrored].map(([key, m]) => {
        const { unknown, syncedAt: _syncedAt, ...settings } = m;
        return [key, { settings, unknown }];
      }));
    },
    async saveSettings(clientKey, settings) {
      if (!settings.uuid) return;
      await saveRepositorySettingsFacts(deps.store, clientKey, settings.uuid, settings, deps.now());
    },
  };
}
