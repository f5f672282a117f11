import { describe, expect, it } from 'vitest';
import {
  isClarification,
  isPlanningError,
  planNaturalLanguage,
  type PlanOutcome,
} from '../../../server/agent';
import { CORPUS_CONTEXTS } from './corpus/corpus-contexts';
import { CORPUS, type CorpusEntry, type ExpectedStep } from './corpus/phrasings';

const tools = CORPUS_CONTEXTS.pr.tools;

function toExpectedInput(step: ExpectedStep): Record<string, unknown> {
  // Workspace-wide tools (list, templates over several repositories, drift) name their workspace and no one repository.
  if (step.tool === 'repository.list' || 'repo' in step.input || 'workspace' in step.input) return { workspace: 'acme', ...step.input };
  return { workspace: 'acme', repo: 'web', ...step.input };
}

/** Null when the outcome is what the corpus entry says it must be, else what went wrong. */
function toMismatch(entry: CorpusEntry, outcome: PlanOutcome): string | null {
  const { expected } = entry;
  const got = isPlanningError(outcome)
    ? `help: ${outcome.error}`
    : isClarification(outcome)
      ? `clarify(${outcome.clarification.choices.length}): ${outcome.clarification.question}`
      : `plan: ${JSON.stringify(outcome.steps)}`;
  if ('help' in expected) return isPlanningError(outcome) ? null : got;
  if ('clarify' in expected) return isClarification(outcome) && outcome.clarification.choices.length === expected.clarify ? null : got;
  if (isPlanningError(outcome) || isClarification(outcome)) return got;
  const want = expected.steps.map((s) => ({ tool: s.tool, input: toExpectedInput(s) }));
  try {
    expect(outcome.steps).toEqual(want);
    expect(outcome.source).toBe('natural-language');
    return null;
  } catch {
    return `${got} (wanted ${JSON.stringify(want)})`;
  }
}

describe('natural-language corpus: phrasings written the way people write', () => {
  it('has at least 300 phrasings, covering every tool in the catalog', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    const covered = new Set(CORPUS.flatMap((e) => ('steps' in e.expected ? e.expected.steps.map((s) => s.tool) : [])));
    expect(tools.names().filter((name) => !covered.has(name))).toEqual([]);
  });

  it('understands at least 95% of them, each as the plan, question or help it must produce', () => {
    const misses: string[] = [];
    for (const entry of CORPUS) {
      const mismatch = toMismatch(entry, planNaturalLanguage(entry.text, CORPUS_CONTEXTS[entry.context]));
      if (mismatch) misses.push(`${JSON.stringify(entry.text)} [${entry.context}] → ${mismatch}`);
    }
    const share = (CORPUS.length - misses.length) / CORPUS.length;
    console.info(`natural-language corpus: ${CORPUS.length - misses.length}/${CORPUS.length} understood (${(share * 100).toFixed(1)}%)`);
    if (misses.length > 0) console.info(`not understood:\n${misses.join('\n')}`);
    expect(share).toBeGreaterThanOrEqual(0.95);
  });

  it('every clarification choice, sent back as is, is understood without another question', () => {
    const unresolved: string[] = [];
    for (const entry of CORPUS) {
      const ctx = CORPUS_CONTEXTS[entry.context];
      const outcome = planNaturalLanguage(entry.text, ctx);
      if (!isClarification(outcome)) continue;
      for (const choice of outcome.clarification.choices) {
        const answer = planNaturalLanguage(choice.text, ctx);
        if (isPlanningError(answer) || isClarification(answer)) unresolved.push(`${entry.text} → ${choice.text}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('gives the same answer every time (deterministic)', () => {
    for (const entry of CORPUS.slice(0, 80)) {
      const ctx = CORPUS_CONTEXTS[entry.context];
      expect(planNaturalLanguage(entry.text, ctx)).toEqual(planNaturalLanguage(entry.text, ctx));
    }
  });
});
