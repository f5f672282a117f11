/** The paths Forge Remote calls on Bosun (manifest.yml's endpoints route here). */
export const forgeRoutes = {
  /** A Custom UI page's first call: who and where it is (the Forge page's boot context). */
  invoke: '/forge/invoke',
  mergeCheck: '/forge/merge-check',
  lifecycle: '/forge/lifecycle',
  events: '/forge/events',
  /** The scheduled trigger (every 5 minutes): it brings a fresh app system token, so background work can act as the app. */
  scheduled: '/forge/scheduled',
} as const;
