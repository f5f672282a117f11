/** Captured REST responses from ../shared (beside the checkout; never copied into the repo). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REST_SAMPLES_DIR } from '../../helpers/shared-samples';

export { REST_SAMPLES_DIR };
export const hasRestSamples = existsSync(REST_SAMPLES_DIR);

export function listRestSamples(): string[] {
  return hasRestSamples ? readdirSync(REST_SAMPLES_DIR).filter((f) => f.endsWith('.json')).sort() : [];
}

export function readRestSample(file: string): unknown {
  return JSON.parse(readFileSync(path.join(REST_SAMPLES_DIR, file), 'utf8')) as unknown;
}
