import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { toPipelineStatusKey, toPipelineStatusPath } from '../../sandbox/pipelines/to-pipeline-status';

const sample = (name: string) => JSON.parse(readFileSync(`/work/shared/bitbucket/samples/webhooks/${name}`, 'utf8')) as {
  commit_status: { key: string; refname: string; name: string; url: string; repository: { full_name: string } };
};

describe('Pipelines status keys and addresses', () => {
  it('match the keys of real Pipelines statuses: Java String.hashCode() of the refname', () => {
    for (const file of ['repo.commit_status_created--drone-go-scm.json', 'repo.commit_status_updated--drone-go-scm.json']) {
      const { commit_status: s } = sample(file);
      expect(toPipelineStatusKey(s.refname)).toBe(s.key);
      const buildNumber = Number(/#(\d+) for /.exec(s.name)![1]);
      expect(`https://bitbucket.org${toPipelineStatusPath(s.repository.full_name, buildNumber)}`).toBe(s.url);
    }
    // A 2023 delivery published by a webhook consumer: "Pipeline #3 for feature/pipeline-webhooks" carried key -1879968562.
    expect(toPipelineStatusKey('feature/pipeline-webhooks')).toBe('-1879968562');
    // 32-bit overflow wraps as in Java, and the key stays within Bitbucket's 40 characters.
    expect(toPipelineStatusKey('')).toBe('0');
    expect(toPipelineStatusKey('x'.repeat(500)).length).toBeLessThanOrEqual(11);
  });
});
