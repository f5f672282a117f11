import type { Sandbox } from '../index';
import type { ForgeHost } from './create-forge-host';
import { startCustomUiServer } from './create-custom-ui-server';
import { createForgePagesRouter } from './create-forge-pages-router';

export interface ForgePages {
  /** Where the Custom UI resource is served (its own origin). */
  resourceUrl: string;
  close(): Promise<void>;
}

/**
 * The sandbox's Forge pages: the Custom UI resource (dist/forge) on an origin of its own, and the
 * product pages that frame it mounted on the sandbox (`/forge/…`), answering @forge/bridge.
 */
export async function startForgePages(input: { sandbox: Sandbox; forge: ForgeHost; publicUrl: string; resourceDir: string; port?: number }): Promise<ForgePages> {
  const server = await startCustomUiServer(input.port ?? 0, { dir: input.resourceDir, parentOrigin: input.publicUrl });
  input.sandbox.app.use(
    createForgePagesRouter({ state: input.sandbox.state, forge: input.forge, publicUrl: input.publicUrl, resourceUrl: () => server.resourceUrl }),
  );
  return { resourceUrl: server.resourceUrl, close: () => server.close() };
}
