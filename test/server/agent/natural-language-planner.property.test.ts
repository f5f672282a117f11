import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClarification, isPlanningError, planNaturalLanguage } from '../../../server/agent';
import { CORPUS_CONTEXTS } from './corpus/corpus-contexts';
import { CORPUS } from './corpus/phrasings';

const words = ['merge', 'approve', 'and', 'then', ',', 'please', '#12', 'this', '@ada', 'bob', 'branch', 'from', 'main', 'to', '"x y"', 'rename', 'comment', 'repo', 'in', 'acme/web', 'when', 'green', '?', 'não', 'fusionner', 'feature/a', 'pipeline', 'stop', '42'];

describe('natural-language planner on any input', () => {
  it('never throws, and every plan it makes passes each tool input schema', () => {
    const ctx = CORPUS_CONTEXTS.pr;
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.constantFrom(...words), { maxLength: 30 }).map((w) => w.join(' ')),
      fc.constantFrom(...CORPUS.map((e) => e.text)).chain((t) => fc.tuple(fc.constant(t), fc.string({ maxLength: 20 })).map(([a, b]) => `${a} ${b}`)),
    );
    fc.assert(
      fc.property(text, (request) => {
        const outcome = planNaturalLanguage(request, ctx);
        if (isPlanningError(outcome)) return outcome.error.length > 0;
        if (isClarification(outcome)) return outcome.clarification.question.length > 0;
        expect(outcome.steps.length).toBeGreaterThan(0);
        for (const step of outcome.steps) expect(ctx.tools.get(step.tool)?.input.safeParse(step.input).success).toBe(true);
        return true;
      }),
      { numRuns: 2000, seed: 20261201 },
    );
  });

  it('reads the words of a request whatever their case, and keeps the case of names it takes from it', () => {
    const ctx = CORPUS_CONTEXTS.repo;
    for (const text of ['merge #12 when the build passes', 'approve #3', 'request changes on #4', 'list repositories']) {
      expect(planNaturalLanguage(text.toUpperCase(), ctx)).toEqual(planNaturalLanguage(text, ctx));
    }
    // Branch names are case-sensitive in git: CREATE BRANCH Hotfix/X FROM Main names exactly those.
    expect(planNaturalLanguage('CREATE BRANCH Hotfix/X FROM Main', ctx)).toMatchObject({ steps: [{ input: { name: 'Hotfix/X', from: 'Main' } }] });
  });
});
