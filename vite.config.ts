import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const clientRoot = fileURLToPath(new URL('./client', import.meta.url));

/** One entry per Connect module; the server serves dist/client/<page>/index.html. */
const pages = ['pr-panel', 'repo-dashboard', 'admin-settings', 'personal-settings', 'workspace'] as const;

// React, ReactDOM and Atlaskit (with their helpers) go in one chunk every page shares, so a
// second panel in the same Bitbucket view loads from cache. Only modules the pages import
// statically ('$initial') belong there: Atlaskit's theme files (loaded on demand by
// setGlobalTheme) and DynamicTable's lazy drag-and-drop body stay separate chunks.
const vendorPattern = /[\\/]node_modules[\\/]/;
// Our own shared code (api, host, components) goes in one small chunk instead of one per file.
const sharedPattern = /[\\/]client[\\/](api|host|components)[\\/]/;

// `BOSUN_CLIENT=forge` builds the Forge Custom UI resource instead (manifest.yml resources.main,
// dist/forge): one index.html for every module, with relative asset URLs since Forge serves it
// below a path of its own.
const forgeBuild = process.env.BOSUN_CLIENT === 'forge';

export default defineConfig({
  root: clientRoot,
  // Built HTML references /assets/...; the server serves dist/client/assets there.
  base: forgeBuild ? './' : '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL(forgeBuild ? './dist/forge' : './dist/client', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Every browser Bitbucket supports has modulepreload; skip the polyfill and its extra chunk.
    modulePreload: { polyfill: false },
    // The vendor chunk is shared and cached; do not warn about its size.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: forgeBuild
        ? { index: fileURLToPath(new URL('./client/index.html', import.meta.url)) }
        : Object.fromEntries(pages.map((page) => [page, fileURLToPath(new URL(`./client/${page}/index.html`, import.meta.url))])),
      output: {
        codeSplitting: {
          groups: [
            { name: 'vendor', test: vendorPattern, tags: ['$initial'] },
            { name: 'shared', test: sharedPattern, tags: ['$initial'] },
          ],
        },
      },
    },
  },
});
