import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FullValidationProcessor, ProductTriggerValidationProcessor, type ManifestValidationResult } from '@forge/manifest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../server/create-services';
import { FORGE_TOKEN_REFRESH_MS, forgePages, forgeRoutes } from '../../server/forge';

interface Processor {
  process(manifest?: string): Promise<ManifestValidationResult<unknown>>;
}

// The processors @forge/manifest does not export by name (the package's exports map hides out/): the
// same ones `forge lint` runs offline, loaded by file.
const require = createRequire(import.meta.url);
const processorDir = path.join(path.dirname(require.resolve('@forge/manifest')), 'processor');
const loadProcessor = (file: string, name: string): Processor => {
  const mod = require(path.join(processorDir, file)) as Record<string, new () => Processor>;
  const Ctor = mod[name];
  if (!Ctor) throw new Error(`@forge/manifest has no ${name}`);
  return new Ctor();
};

const source = readFileSync(path.join(PROJECT_ROOT, 'manifest.yml'), 'utf8');
const manifest = parse(source) as {
  app: { id: string; connect?: { key: string; remote: string } };
  modules: Record<string, Array<Record<string, unknown>>>;
  permissions: { scopes: string[] };
  remotes: Array<{ key: string; baseUrl: string }>;
  resources: Array<{ key: string; path: string }>;
};

/**
 * Forge's resource validator reads the Custom UI build (an index.html in the resource folder); the
 * manifest is checked in a copy of the project whose build is a stand-in, so the test needs no build.
 */
const dirs: string[] = [];
function projectWith(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-forge-manifest-'));
  dirs.push(dir);
  for (const r of manifest.resources) {
    mkdirSync(path.join(dir, r.path), { recursive: true });
    writeFileSync(path.join(dir, r.path, 'index.html'), '<!doctype html><title>Bosun</title>');
  }
  const file = path.join(dir, 'manifest.yml');
  writeFileSync(file, text);
  return file;
}
// `forge deploy` interpolates the remote's base URL from the deploying shell's environment; so does the validator.
const savedRemoteUrl = process.env.BOSUN_REMOTE_URL;
process.env.BOSUN_REMOTE_URL = 'https://bosun.example.com';
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (savedRemoteUrl === undefined) delete process.env.BOSUN_REMOTE_URL;
  else process.env.BOSUN_REMOTE_URL = savedRemoteUrl;
});

// Each processor compiles Forge's whole schema once, on first use: several seconds on a loaded machine.
const SLOW_MS = 180_000;
const all: Array<[string, Processor]> = [
  ['full', new FullValidationProcessor({ deprecatedRuntimes: ['nodejs18.x', 'nodejs20.x'] })],
  ['product triggers', new ProductTriggerValidationProcessor()],
  ['remote compute', loadProcessor('remote-compute-validation-processor.js', 'RemoteComputeValidationProcessor')],
  ['deprecated egress', loadProcessor('deprecated-egress-permissions-validation-processor.js', 'DeprecatedEgressPermissionsValidationProcessor')],
  ['deprecated csp', loadProcessor('deprecated-csp-method-validation-processor.js', 'DeprecatedCspMethodValidationProcessor')],
];

async function errorsOf(text: string, names: readonly string[] = all.map(([n]) => n)): Promise<string[]> {
  const file = projectWith(text);
  const out: string[] = [];
  for (const [name, p] of all.filter(([n]) => names.includes(n))) {
    const result = await p.process(file);
    for (const e of result.errors ?? []) if (e.level === 'error') out.push(`${name}: ${e.message}`);
    if (!result.success && (result.errors ?? []).length === 0) out.push(`${name}: failed without a message`);
  }
  return out;
}

describe('manifest.yml', () => {
  it('passes every offline processor of @forge/manifest (schema, modules, resources, remotes, scopes of product events)', async () => {
    expect(await errorsOf(source)).toEqual([]);
  }, SLOW_MS);

  it('declares the Custom UI modules, all on the one resource and the one resolver endpoint', () => {
    const ui = [
      'bitbucket:repoPullRequestOverviewPanel',
      'bitbucket:repoPullRequestCard',
      'bitbucket:repoPullRequestAction',
      'bitbucket:repoMainMenuPage',
      'bitbucket:workspaceSettingsMenuPage',
      'bitbucket:workspacePersonalSettingsPage',
    ];
    for (const type of ui) {
      expect(manifest.modules[type]?.length, type).toBeGreaterThan(0);
      for (const module of manifest.modules[type] ?? []) expect(module).toMatchObject({ resource: 'main', resolver: { endpoint: 'bosun-resolver' } });
    }
    // Every Custom UI module is a Bosun page (and every page-bearing key Bosun knows is in the manifest).
    const keys = ui.flatMap((type) => (manifest.modules[type] ?? []).map((m) => (m as { key: string }).key));
    expect(new Set(keys)).toEqual(new Set(Object.keys(forgePages)));
    expect(forgePages['bosun-workspace']).toBe('workspace');
    expect(forgePages['bosun-pr-card']).toBe('pr-panel');
    expect(forgePages['bosun-pr-action']).toBe('pr-panel');
    expect(manifest.resources).toEqual([{ key: 'main', path: 'dist/forge' }]);
    expect(manifest.modules['bitbucket:mergeCheck']?.[0]).toMatchObject({ endpoint: 'bosun-merge-check', triggers: ['on-merge'] });
  });

  it('routes every endpoint to a path Bosun serves, on a remote whose base URL is a variable', () => {
    const paths = Object.fromEntries((manifest.modules.endpoint ?? []).map((e) => [e.key, (e.route as { path: string }).path]));
    expect(paths).toEqual({
      'bosun-resolver': forgeRoutes.invoke,
      'bosun-merge-check': forgeRoutes.mergeCheck,
      'bosun-lifecycle': forgeRoutes.lifecycle,
      'bosun-events': forgeRoutes.events,
      'bosun-scheduled': forgeRoutes.scheduled,
    });
    // The scheduled trigger brings the app token every 5 minutes (FORGE_TOKEN_REFRESH_MS is what jobs wait for it).
    expect(manifest.modules.scheduledTrigger).toEqual([{ key: 'bosun-token-refresh', endpoint: 'bosun-scheduled', interval: 'fiveMinute' }]);
    expect(FORGE_TOKEN_REFRESH_MS).toBe(5 * 60_000);
    expect(manifest.remotes.find((r) => r.key === 'bosun')?.baseUrl).toBe('${BOSUN_REMOTE_URL}');
  });

  it('links to the Connect app by its descriptor key, on a remote of its own at the same base URL (Connect → Forge)', () => {
    const descriptor = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'atlassian-connect.json'), 'utf8')) as { key: string };
    expect(manifest.app.connect?.key).toBe(descriptor.key);
    const remote = manifest.remotes.find((r) => r.key === manifest.app.connect?.remote);
    expect(remote?.baseUrl).toBe('${BOSUN_REMOTE_URL}');
    expect(remote?.key).not.toBe('bosun');
  });

  it('asks for exactly the granular scopes the Connect descriptor grants, plus the two remote tokens', () => {
    expect([...manifest.permissions.scopes].sort()).toEqual(
      [
        'read:app-system-token',
        'read:app-user-token',
        'read:workspace:bitbucket',
        'read:user:bitbucket',
        'read:repository:bitbucket',
        'write:repository:bitbucket',
        'admin:repository:bitbucket',
        'read:pullrequest:bitbucket',
        'write:pullrequest:bitbucket',
        'read:pipeline:bitbucket',
        'write:pipeline:bitbucket',
      ].sort(),
    );
  });

  it('is refused when a product event lacks its scope or a module type does not exist (the check can fail)', async () => {
    const noPullRequestRead = source.replace('    - read:pullrequest:bitbucket\n', '');
    expect((await errorsOf(noPullRequestRead, ['product triggers'])).join('\n')).toMatch(/read:pullrequest:bitbucket/);
    const unknownModule = source.replace('bitbucket:repoPullRequestCard:', 'bitbucket:repoPullRequestSidebar:');
    expect(await errorsOf(unknownModule, ['full'])).not.toEqual([]);
    const duplicateKey = source.replace('- key: bosun-lifecycle-trigger', '- key: bosun-lifecycle');
    expect((await errorsOf(duplicateKey, ['full'])).join('\n')).toMatch(/duplicate module key/);
  }, SLOW_MS);
});
