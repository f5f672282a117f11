import { describe, expect, it } from 'vitest';
import { toPreviewRulesPlan, toRulesPreviewLines, toRunRulesPlan } from '../../../client/pr-panel/to-rules-plan';

describe('the PR panel’s rule buttons', () => {
  it('plan the rules tools on this PR, as a button', () => {
    expect(toPreviewRulesPlan('web', 4)).toEqual({ summary: 'Show what the automation rules would do on #4', source: 'button', steps: [{ tool: 'pullRequest.previewRules', input: { repo: 'web', pullRequestId: 4 } }] });
    expect(toRunRulesPlan('web', 4).steps).toEqual([{ tool: 'pullRequest.runRules', input: { repo: 'web', pullRequestId: 4 } }]);
  });

  it('list the preview one item per rule line under its headline', () => {
    expect(toRulesPreviewLines('What the automation rules would do on #4 now:\n- reviewers (would do): add {c} as reviewer\n- readiness (in dry run, would only record): report bosun/ready FAILED')).toEqual({
      headline: 'What the automation rules would do on #4 now:',
      items: ['reviewers (would do): add {c} as reviewer', 'readiness (in dry run, would only record): report bosun/ready FAILED'],
    });
    expect(toRulesPreviewLines('No rule acts on #4: it is not open.')).toEqual({ headline: 'No rule acts on #4: it is not open.', items: [] });
  });
});
