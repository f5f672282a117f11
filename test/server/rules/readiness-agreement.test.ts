import { afterEach, describe, expect, it } from 'vitest';
import { evaluateReadiness } from '../../../server/rules';
import { createCorpusSandbox, generateReadinessShapes, runShapeOnSandbox, toReadinessInput, type CorpusSandbox } from '../../helpers/readiness-corpus';

const SHAPES = 1200;
const CHUNK = 100;
// 2×1,200 merges on the sandbox: bounded by work, not by the default 20 s meant for single requests.
const HEAVY_MS = 120_000;

describe('readiness oracle against the sandbox merge checks', () => {
  let corpus: CorpusSandbox | undefined;
  afterEach(async () => corpus?.close());

  it.each(['always', 'premium'] as const)('agrees on every one of %s-enforcement shapes: refused exactly where it said Bitbucket refuses', async (enforcement) => {
    const shapes = generateReadinessShapes(SHAPES, enforcement === 'always' ? 12 : 13);
    const disagreements: string[] = [];
    let refused = 0;
    for (const [i, shape] of shapes.entries()) {
      // A fresh sandbox every CHUNK shapes: its lookups scan its state, so one holding 1,200 repositories is slow.
      if (i % CHUNK === 0) {
        await corpus?.close();
        corpus = createCorpusSandbox(enforcement);
      }
      if (!corpus) throw new Error('no sandbox');
      const outcome = runShapeOnSandbox(corpus, shape, i);
      const readiness = evaluateReadiness(toReadinessInput(shape, corpus.uuidOf, i), { enforcement });
      if (!outcome.merged) refused++;
      if (readiness.bitbucketAllowsMerge !== outcome.merged) {
        disagreements.push(`#${i} sandbox ${outcome.merged ? 'merged' : `refused (${outcome.message})`}; oracle blockers: ${readiness.blockers.map((b) => b.id).join(',') || 'none'} ${JSON.stringify(shape)}`);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // The corpus must exercise both outcomes substantially, or agreement means little.
    expect(refused).toBeGreaterThan(SHAPES * 0.2);
    expect(refused).toBeLessThan(SHAPES * 0.8);
  }, HEAVY_MS);

  it('the corpus reaches every enforced condition at least once as the only blocker', () => {
    corpus = createCorpusSandbox('always');
    const solo = new Set<string>();
    for (const [i, shape] of generateReadinessShapes(SHAPES, 12).entries()) {
      const readiness = evaluateReadiness(toReadinessInput(shape, corpus.uuidOf, i), { enforcement: 'always' });
      const enforced = readiness.blockers.filter((b) => b.enforced);
      if (enforced.length === 1) solo.add(enforced[0]!.id);
    }
    expect([...solo].sort()).toEqual(
      ['approvals', 'branches', 'builds', 'changes-requested', 'default-reviewer-approvals', 'draft', 'fast-forward', 'open', 'restrict-merges', 'tasks'].sort(),
    );
  });
});
