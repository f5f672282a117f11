import { createConnectHost } from './create-connect-host';
import type { PageHost } from './page-host';

/**
 * Forge's hosting defines `window.__bridge` (what @forge/bridge calls) before any app script runs;
 * Connect pages have none. @forge/bridge throws on import without it, so the Forge door is only
 * loaded (a chunk of its own) inside Forge.
 */
export const isInForge = (target: object = globalThis): boolean => {
  const bridge: unknown = Reflect.get(target, '__bridge');
  return typeof bridge === 'object' && bridge !== null && typeof Reflect.get(bridge, 'callBridge') === 'function';
};

/** The one place that decides which host the page is in. */
export const loadPageHost = async (): Promise<PageHost> => {
  if (!isInForge()) return createConnectHost();
  const { createForgePageHost } = await import('./create-forge-page-host');
  return createForgePageHost();
};
