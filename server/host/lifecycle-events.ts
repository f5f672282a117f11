import type { HostKind, Tenant } from './tenant';

/**
 * What a host tells the core once it has verified a lifecycle call and recorded the installation:
 * Connect sends `installed` and `uninstalled` (Bitbucket Connect has no upgrade call); Forge also
 * sends `upgraded` (avi:forge:upgraded:app, a new version of the app installed over the old one).
 */
export type LifecycleEvent =
  | { kind: 'installed'; host: HostKind; tenant: Tenant; reinstall: boolean }
  | { kind: 'upgraded'; host: HostKind; tenant: Tenant }
  | { kind: 'uninstalled'; host: HostKind; clientKey: string };

/**
 * The core's side of the lifecycle (the composition root subscribes): the host awaits it before it
 * answers, so a failure (an uninstall whose purge failed) is the host's error and the host retries.
 */
export type LifecycleListener = (event: LifecycleEvent) => Promise<void>;
