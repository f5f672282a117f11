/** Where @atlaskit/platform-feature-flags looks for a product's flag resolver (its `PFF_GLOBAL_KEY`). */
const PLATFORM_FLAGS_KEY = '__PLATFORM_FEATURE_FLAGS__';

interface PlatformFlags {
  booleanResolver?: ((flag: string) => boolean) | undefined;
}

/**
 * Answers Atlaskit's platform feature flags (every one off, the value they fall back to anyway) as
 * Bitbucket, Jira and Confluence do with their own resolver. Without one, Atlaskit asks its Statsig
 * client, which an app never initialises, and logs "An error has occurred checking the feature
 * gate" on every page. Same effect as `setBooleanFeatureFlagResolver` of that package, which is not
 * one of Bosun's dependencies (it comes with Atlaskit).
 */
export const resolveAtlaskitFlags = (target: Record<string, unknown> = window as unknown as Record<string, unknown>): void => {
  const existing = target[PLATFORM_FLAGS_KEY] as PlatformFlags | undefined;
  const flags: PlatformFlags = existing ?? {};
  flags.booleanResolver = () => false;
  target[PLATFORM_FLAGS_KEY] = flags;
};
