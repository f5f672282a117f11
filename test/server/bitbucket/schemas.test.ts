import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  currentUserSchema,
  errorBodySchema,
  pageSchema,
  pipelineSchema,
  pullRequestSchema,
} from '../../../server/bitbucket';
import { hasRestSamples, listRestSamples, readRestSample } from './rest-samples';

/** Which schema each captured REST response must satisfy, by file-name prefix. */
const SCHEMA_BY_PREFIX: Array<[string, z.ZodType]> = [
  ['error-', errorBodySchema],
  ['get-pullrequest', pullRequestSchema],
  ['list-pullrequests', pageSchema(pullRequestSchema)],
  ['get-user', currentUserSchema],
  ['list-pipelines', pageSchema(pipelineSchema)],
];

/** Samples for endpoints this client does not call (yet). */
const UNMAPPED = new Set<string>();

describe.skipIf(!hasRestSamples)('captured REST responses parse with our schemas', () => {
  const files = listRestSamples();

  it('finds the samples and maps every one it should', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    const unmapped = files.filter((f) => !UNMAPPED.has(f) && !SCHEMA_BY_PREFIX.some(([p]) => f.startsWith(p)));
    expect(unmapped).toEqual([]);
  });

  it.each(files.filter((f) => !UNMAPPED.has(f)))('%s', (file) => {
    const schema = SCHEMA_BY_PREFIX.find(([prefix]) => file.startsWith(prefix))![1];
    const result = schema.safeParse(readRestSample(file));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('keeps unknown fields (passthrough) and the fields Bosun reads', () => {
    const pr = pullRequestSchema.parse(readRestSample('get-pullrequest-approved--atlantis.json'));
    expect(pr.participants?.[0]).toMatchObject({ approved: true, role: 'PARTICIPANT' });
    expect(pr.source.commit?.hash).toBe('3428957ade18');
    expect(pr['summary']).toBeDefined();
  });

  it('reads a stopped pipeline from the captured list', () => {
    const page = pageSchema(pipelineSchema).parse(readRestSample('list-pipelines--atlassian-python-api.json'));
    expect(page.values[0]).toMatchObject({
      uuid: '{PipelineUuid}',
      build_number: 25,
      state: { name: 'COMPLETED', result: { name: 'STOPPED' } },
      target: { ref_name: 'master', commit: { hash: '30c1b58a2341992fe6870756a8880d5006ddb18e' }, selector: { type: 'default' } },
      created_on: '2020-11-03T22:14:50.671Z',
      completed_on: '2020-11-03T22:14:53.173Z',
    });
    expect(page.values[0]!['run_number']).toBe(1);
  });
});
