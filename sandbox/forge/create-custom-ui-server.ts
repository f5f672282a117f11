import { promises as fs } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { FRAME_BRIDGE_JS } from './forge-bridge-scripts';

export interface CustomUiServerOptions {
  /** The built resource (manifest.yml resources.main: dist/forge). */
  dir: string;
  /** The product pages allowed to frame it (the sandbox's origin). */
  parentOrigin: string | (() => string);
}

export interface CustomUiServer {
  /** Where a module's frame loads the resource's index.html. */
  resourceUrl: string;
  origin: string;
  close(): Promise<void>;
}

/** Where the resource is served: below a path of its own, as Forge serves it (so its asset URLs must be relative). */
export const RESOURCE_PATH = '/resources/main/';
const BRIDGE_PATH = `${RESOURCE_PATH}__forge/bridge.js`;

/**
 * The sandbox's stand-in for Forge's Custom UI hosting: the resource on an origin of its own (not
 * the product's, not Bosun's), its index.html given the bridge script first thing in <head> (as
 * Forge's hosting defines `window.__bridge` before the app runs), and a CSP like Custom UI's: the
 * app's own scripts only, no network but its own origin (every call to Bosun goes through the
 * bridge), inline styles allowed (manifest.yml permissions.content.styles). The exact CSP Forge
 * sends is unverified; these are the restrictions its documentation describes.
 */
export async function startCustomUiServer(port: number, options: CustomUiServerOptions): Promise<CustomUiServer> {
  const parent = () => new URL(typeof options.parentOrigin === 'function' ? options.parentOrigin() : options.parentOrigin).origin;
  const indexFile = path.join(options.dir, 'index.html');
  const app = express();
  app.disable('x-powered-by');
  const csp = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: ${parent()}`,
      "font-src 'self' data:",
      "connect-src 'self'",
      `frame-ancestors ${parent()}`,
    ].join('; ');
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.get(BRIDGE_PATH, (_req, res) => res.type('application/javascript').send(FRAME_BRIDGE_JS));
  app.get([RESOURCE_PATH, `${RESOURCE_PATH}index.html`], async (_req, res, next) => {
    try {
      const html = await fs.readFile(indexFile, 'utf8');
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(html.replace(/<head>/i, `<head><script src="${BRIDGE_PATH}"></script>`));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        res.status(503).type('text').send('The Custom UI resource is not built: run `npm run build:forge-client` (dist/forge).');
        return;
      }
      next(err);
    }
  });
  app.use(RESOURCE_PATH, express.static(options.dir, { index: false, fallthrough: false }));
  const server: Server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    resourceUrl: `${origin}${RESOURCE_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
