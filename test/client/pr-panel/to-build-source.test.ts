import { describe, expect, it } from 'vitest';
import { toBuildSource, toPipelinePlan } from '../../../client/pr-panel/to-build-source';

describe('a build status source', () => {
  it('knows a Pipelines run of this repository by its link, and nothing else', () => {
    expect(toBuildSource({ url: 'http://localhost:4000/acme/web/pipelines/results/12' }, 'acme/web')).toEqual({ kind: 'pipelines', buildNumber: 12 });
    expect(toBuildSource({ url: 'https://bitbucket.org/acme/web/addon/pipelines/home#!/results/7' }, 'acme/web')).toEqual({ kind: 'pipelines', buildNumber: 7 });
    expect(toBuildSource({ url: 'https://bitbucket.org/acme/api/pipelines/results/7' }, 'acme/web')).toEqual({ kind: 'external', label: 'bitbucket.org' });
    expect(toBuildSource({ url: 'https://ci.acme.test/job/web/41/' }, 'acme/web')).toEqual({ kind: 'external', label: 'ci.acme.test' });
    expect(toBuildSource({ url: 'https://ci.acme.test/acme/web/pipelines/results/3x' }, 'acme/web')).toEqual({ kind: 'external', label: 'ci.acme.test' });
    expect(toBuildSource({ url: 'not a url' }, 'acme/web')).toEqual({ kind: 'external', label: 'CI' });
  });

  it('plans Re-run and Stop with the catalog tools', () => {
    expect(toPipelinePlan('rerun', 'web', 4)).toEqual({ summary: 'Run pipeline #4 again', source: 'button', steps: [{ tool: 'pipeline.rerun', input: { repo: 'web', pipeline: 4 } }] });
    expect(toPipelinePlan('stop', 'web', 4).steps).toEqual([{ tool: 'pipeline.stop', input: { repo: 'web', pipeline: 4 } }]);
    expect(toPipelinePlan('log', 'web', 4).steps).toEqual([{ tool: 'pipeline.failedStepLog', input: { repo: 'web', pipeline: 4 } }]);
  });
});
