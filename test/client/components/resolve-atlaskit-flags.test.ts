import { describe, expect, it } from 'vitest';
import { resolveAtlaskitFlags } from '../../../client/components/resolve-atlaskit-flags';

describe('resolveAtlaskitFlags', () => {
  it('answers every Atlaskit platform flag off, in the object Atlaskit already made or a new one', () => {
    const fresh: Record<string, unknown> = {};
    resolveAtlaskitFlags(fresh);
    const flags = fresh.__PLATFORM_FEATURE_FLAGS__ as { booleanResolver: (flag: string) => boolean };
    expect(flags.booleanResolver('platform_increased-contrast-themes')).toBe(false);
    const made = { booleanResolver: undefined, other: 1 };
    const target: Record<string, unknown> = { __PLATFORM_FEATURE_FLAGS__: made };
    resolveAtlaskitFlags(target);
    expect(target.__PLATFORM_FEATURE_FLAGS__).toBe(made);
    expect(typeof made.booleanResolver).toBe('function');
  });
});
