import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/create-services';

/** ../shared sits beside the checkout on developer machines and in CI; it is never copied in. */
export const SHARED_DIR = path.resolve(PROJECT_ROOT, '..', 'shared');
export const SAMPLES_DIR = path.join(SHARED_DIR, 'bitbucket', 'samples');
export const hasSamples = existsSync(SAMPLES_DIR);
export const OPENAPI_PATH = path.join(SHARED_DIR, 'bitbucket', 'openapi.json');
export const REST_SAMPLES_DIR = path.join(SAMPLES_DIR, 'rest');
export const hasSpec = existsSync(OPENAPI_PATH);

// On a user's machine without ../shared these suites skip with a message; in CI they must run.
if (process.env.CI && (!hasSamples || !hasSpec)) {
  throw new Error(`CI needs ${SHARED_DIR} (Atlassian's spec and captured samples) beside the checkout`);
}

export function readSample(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(SAMPLES_DIR, relative), 'utf8')) as unknown;
}

/** webhooks/<event with . for :>--<source>.json → event key. */
export function listWebhookSamples(): Array<{ file: string; event: string }> {
  if (!hasSamples) return [];
  return readdirSync(path.join(SAMPLES_DIR, 'webhooks'))
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file: `webhooks/${file}`, event: file.split('--')[0]!.replace('.', ':') }));
}
