import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

export interface ProcessEntryBundle {
  /** The bundled entry: run it with `node --enable-source-maps <file>`. */
  file: string;
  /** Removes the bundle. */
  remove(): void;
}

/**
 * Each module keeps its own `import.meta.url` (and dirname/filename), as when it runs from its source
 * file: server/create-services.ts finds the project root from it.
 */
const keepOwnImportMeta: Plugin = {
  name: 'keep-own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/**
 * Bundles a TypeScript entry that a test starts as child processes (our sources in one ESM file,
 * packages left to node_modules), once per test file.
 *
 * Why: `node --import tsx` resolves and loads each of the hundreds of server modules through tsx's
 * loader hooks at every start; a worker process spent about 5 s of CPU before it was ready (the
 * transform cache was warm), and a test that boots several of them at once on a busy 2-core machine
 * waited out its bound. From the bundle the same boot takes about a third of that CPU.
 *
 * The bundle goes under node_modules/.cache (inside the project, so its bare imports resolve to the
 * project's node_modules), in a directory of its own so that test runs side by side do not share it.
 */
export async function bundleProcessEntry(projectRoot: string, entry: string): Promise<ProcessEntryBundle> {
  const dir = path.join(projectRoot, 'node_modules', '.cache', 'bosun-test-processes', `${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${path.basename(entry).replace(/\.[cm]?tsx?$/, '')}.mjs`);
  try {
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      sourcemap: true,
      tsconfig: path.join(projectRoot, 'tsconfig.json'),
      plugins: [keepOwnImportMeta],
      logLevel: 'silent',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
