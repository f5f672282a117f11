/** Captured REST responses from ../shared (beside the checkout; never copied into the repo). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REST_SAMPLES_DIR = fileURLToPath(new URL('../../../../shared/bitbucket/samples/rest/', import.meta.url));
export const hasRestSamples = existsSync(REST_SAMPLES_DIR);

export function listRestSamples(): string[] {
  return hasRestSamples ? readdirSync(REST_SAMPLES_DIR).filter((f) => f.endsWith('.json')).sort() : [];
}

export function readRestSample(file: string): unknown {
  return JSON.parse(readFileSync(`${REST_SAMPLES_DIR}${file}`, 'utf8')) as unknown;
}
