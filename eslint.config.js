import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Import arrows (../shared/DESIGN.md): each folder of server/ lists the folders it must not import.
 * `types` may still be imported with `import type` (ports and shapes), never as values.
 * The composition roots (server/*.ts, server/cli/) wire everything and are not restricted.
 */
const MODULES = ['agent', 'auth', 'bitbucket', 'budget', 'ci', 'config', 'connect', 'errors', 'forge', 'host', 'jobs', 'log', 'merge-queue', 'mirror', 'policies', 'rules', 'storage', 'web'];
const ARROWS = {
  // Imports nothing of ours.
  bitbucket: { allow: [] },
  rules: { allow: [] },
  policies: { allow: ['rules'] },
  config: { allow: [] },
  errors: { allow: [] },
  log: { allow: [] },
  host: { allow: [], types: ['bitbucket'] },
  budget: { allow: ['log'], types: ['bitbucket'] },
  ci: { allow: ['log', 'rules', 'bitbucket'], types: ['host'] },
  auth: { allow: ['bitbucket', 'log'], types: ['host'] },
  connect: { allow: ['host', 'bitbucket', 'log'] },
  forge: { allow: ['host', 'bitbucket', 'log'] },
  // The agent drives the merge queue: it implements the queue's Bitbucket port (types only).
  agent: { allow: ['rules', 'policies', 'bitbucket', 'budget', 'log'], types: ['merge-queue'] },
  mirror: { allow: ['bitbucket', 'storage', 'rules', 'log'] },
  'merge-queue': { allow: ['rules', 'log'], types: ['agent', 'host'] },
  // CI systems → web/ci → jobs → ci/ adapters (DESIGN.md flow).
  // Jobs drive the merge queue through its injected driver (types only).
  jobs: { allow: ['agent', 'ci', 'log'], types: ['host', 'merge-queue'] },
  // Adapters implement ports declared by the modules that use them.
  storage: { allow: ['log', 'config', 'agent', 'auth', 'host', 'jobs', 'budget', 'mirror', 'merge-queue', 'ci', 'policies'] },
  web: { allow: ['host', 'jobs', 'log', 'config'], types: ['storage'] },
};

/** A file `depth` folders below server/ reaches module `m` as `../m` (depth 1), `../../m` (depth 2)… */
const modulePatterns = (m, depth) => [`${'../'.repeat(depth)}${m}`, `${'../'.repeat(depth)}${m}/**`];
const DEPTHS = [1, 2, 3, 4];
const filesAtDepth = (files, depth) => files.map((f) => `${f}${'/*'.repeat(depth - 1)}/*.ts`);

function restrictedImports(folder, depth, extra = {}) {
  const arrow = ARROWS[folder];
  // errors/ is the error model every folder shares, except bitbucket/, which imports nothing of ours.
  const allow = new Set([folder, ...(folder === 'bitbucket' ? [] : ['errors']), ...arrow.allow, ...(extra.allow ?? [])]);
  const types = new Set([...(arrow.types ?? []), ...(extra.types ?? [])]);
  const patterns = [];
  const forbidden = MODULES.filter((m) => !allow.has(m) && !types.has(m));
  if (forbidden.length > 0) {
    patterns.push({ group: forbidden.flatMap((m) => modulePatterns(m, depth)), message: `server/${folder}/ may not import this module (import arrows in DESIGN.md).` });
  }
  const typeOnly = [...types].filter((m) => !allow.has(m));
  if (typeOnly.length > 0) {
    patterns.push({
      group: typeOnly.flatMap((m) => modulePatterns(m, depth)),
      allowTypeImports: true,
      message: `server/${folder}/ may import only types from this module (import arrows in DESIGN.md).`,
    });
  }
  return ['error', { paths: [...(extra.paths ?? [])], patterns }];
}

/** One config per depth: relative import paths say how far up they go, so each depth gets exact patterns. */
function arrowConfig(folder, extra = {}, files = null) {
  return DEPTHS.map((depth) => ({
    files: files ? files.filter((f) => f.split('/').length - 1 === depth) : filesAtDepth([`server/${folder}`], depth),
    rules: { '@typescript-eslint/no-restricted-imports': restrictedImports(folder, depth, extra) },
  })).filter((c) => c.files.length > 0);
}

const ATLASSIAN_JWT = { name: 'atlassian-jwt', message: 'Only server/connect/, server/auth/, server/bitbucket/ and sandbox/ sign or verify JWTs.' };
const JWT_FOLDERS = new Set(['connect', 'auth', 'bitbucket']);
const arrowConfigs = Object.keys(ARROWS).flatMap((folder) => arrowConfig(folder, { paths: JWT_FOLDERS.has(folder) ? [] : [ATLASSIAN_JWT] }));

/** The durable queue's SQL adapters live in jobs/ (DESIGN.md folders) and use storage's database. */
const jobsSqlAdapters = arrowConfig('jobs', { types: ['storage'], paths: [ATLASSIAN_JWT] }, ['server/jobs/sql-job-queue.ts', 'server/jobs/delivery-intake.ts']);

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'atlassian-jwt', message: 'Only server/connect/, server/auth/, server/bitbucket/ and sandbox/ sign or verify JWTs.' }] },
      ],
    },
  },
  {
    // Tests poke at parsed JSON responses; production code stays strict.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['server/connect/**', 'server/auth/**', 'server/bitbucket/**', 'sandbox/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  ...arrowConfigs,
  ...jobsSqlAdapters,
);
