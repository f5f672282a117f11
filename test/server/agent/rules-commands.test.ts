import { describe, expect, it } from 'vitest';
import { createCommandPlanner, parseCommand, toHelpText, toRulesPreviewText } from '../../../server/agent';
import { CORPUS_CONTEXTS } from './corpus/corpus-contexts';

describe('/bosun rules', () => {
  it.each([
    ['/bosun rules', false],
    ['/bosun rules preview', false],
    ['/bosun automation', false],
    ['/bosun rules run', true],
    ['/bosun rules run now', true],
    ['/BOSUN Rules Now', true],
  ])('%s parses (run: %s)', (raw, run) => {
    expect(parseCommand(raw)).toMatchObject({ ok: true, command: { name: 'rules', run } });
  });

  it('answers anything else with its usage', () => {
    expect(parseCommand('/bosun rules sideways')).toMatchObject({ ok: false, suggestions: ['/bosun rules [run]'] });
    expect(parseCommand('/bosun rules run twice')).toMatchObject({ ok: false });
  });

  it('plans the preview or the run on the comment’s PR', async () => {
    const planner = createCommandPlanner();
    const ctx = CORPUS_CONTEXTS.bare;
    const target = { workspace: 'acme', repo: 'web', pullRequestId: 3 };
    expect(await planner.plan('/bosun rules', ctx)).toMatchObject({ steps: [{ tool: 'pullRequest.previewRules', input: target }] });
    expect(await planner.plan('/bosun rules run', ctx)).toMatchObject({ steps: [{ tool: 'pullRequest.runRules', input: target }] });
  });

  it('is listed in the help', () => {
    expect(toHelpText()).toContain('/bosun rules [run]');
  });
});

describe('the rules preview in words', () => {
  it('says each rule, its mode and what it would do, one line each', () => {
    const text = toRulesPreviewText(7, {
      entries: [
        { rule: 'reviewers', mode: 'dry-run', wouldDo: ['add {c} as reviewer (src/ui/**, group frontend)'] },
        { rule: 'readiness', mode: 'on', wouldDo: ['report bosun/ready INPROGRESS on abc: 1 approval missing', 'report bosun/policy FAILED on abc: no Testing section'] },
      ],
    });
    expect(text.split('\n')).toEqual([
      'What the automation rules would do on #7 now:',
      '- reviewers (in dry run, would only record): add {c} as reviewer (src/ui/**, group frontend)',
      '- readiness (would do): report bosun/ready INPROGRESS on abc: 1 approval missing',
      '- readiness (would do): report bosun/policy FAILED on abc: no Testing section',
    ]);
  });

  it('says when nothing would happen, and when the PR is not open', () => {
    expect(toRulesPreviewText(7, { entries: [] })).toMatch(/would do nothing on #7/);
    expect(toRulesPreviewText(7, null)).toBe('No rule acts on #7: it is not open.');
  });
});
