import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CiDelivery } from '../../../server/ci';

export const CI_FIXTURES = join(import.meta.dirname, '../../fixtures/ci');

export function readCiFixture(path: string): string {
  return readFileSync(join(CI_FIXTURES, path), 'utf8');
}

/** The GitHub event header each GitHub fixture was sent with: the file name says which. */
function toHeaders(path: string): Record<string, string> {
  const file = path.split('/').pop() ?? '';
  if (!path.startsWith('github-actions/')) return {};
  if (file.startsWith('workflow-run')) return { 'x-github-event': 'workflow_run' };
  if (file.startsWith('check-run')) return { 'x-github-event': 'check_run' };
  return { 'x-github-event': 'ping' };
}

export function loadCiDelivery(path: string): CiDelivery {
  return { body: JSON.parse(readCiFixture(path)) as unknown, headers: toHeaders(path) };
}

/** Every JSON delivery under test/fixtures/ci/<provider>/, as [provider, path]. */
export function listCiDeliveries(): Array<[string, string]> {
  return readdirSync(CI_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !['junit', 'sarif'].includes(entry.name))
    .flatMap((entry) =>
      readdirSync(join(CI_FIXTURES, entry.name))
        .filter((file) => file.endsWith('.json'))
        .map((file): [string, string] => [entry.name, `${entry.name}/${file}`]),
    );
}
