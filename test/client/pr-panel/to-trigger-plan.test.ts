import { describe, expect, it } from 'vitest';
import { toTriggerPlan } from '../../../client/pr-panel/to-trigger-plan';

describe("the Builds list's Run pipeline form", () => {
  it("plans the branch's own pipeline when no custom pipeline or variable is given", () => {
    expect(toTriggerPlan('web', { branch: ' feature/x ', custom: '', variables: '' })).toEqual({
      ok: true,
      plan: { summary: 'Run the pipeline on feature/x', source: 'button', steps: [{ tool: 'pipeline.trigger', input: { repo: 'web', branch: 'feature/x' } }] },
    });
  });

  it('plans a custom pipeline with variables, one per line or comma-separated, values keeping their = and case', () => {
    const result = toTriggerPlan('web', { branch: 'main', custom: 'deploy', variables: 'TARGET=staging\nDRY_RUN = false, url=a=b\n' });
    expect(result).toEqual({
      ok: true,
      plan: {
        summary: 'Run the custom pipeline deploy on main with TARGET, DRY_RUN, url',
        source: 'button',
        steps: [{
          tool: 'pipeline.trigger',
          input: { repo: 'web', branch: 'main', selector: { type: 'custom', pattern: 'deploy' }, variables: [{ key: 'TARGET', value: 'staging' }, { key: 'DRY_RUN', value: 'false' }, { key: 'url', value: 'a=b' }] },
        }],
      },
    });
  });

  it('says what is wrong instead of planning', () => {
    expect(toTriggerPlan('web', { branch: '  ', custom: '', variables: '' })).toEqual({ ok: false, problem: 'Name the branch to run the pipeline on.' });
    expect(toTriggerPlan('web', { branch: 'main', custom: 'my deploy', variables: '' })).toEqual({ ok: false, problem: 'A custom pipeline name has no spaces.' });
    expect(toTriggerPlan('web', { branch: 'main', custom: '', variables: 'TARGET' })).toEqual({ ok: false, problem: '"TARGET" is not KEY=value.' });
    expect(toTriggerPlan('web', { branch: 'main', custom: '', variables: '1X=2' })).toEqual({ ok: false, problem: '"1X=2" is not KEY=value.' });
    expect(toTriggerPlan('web', { branch: 'main', custom: '', variables: 'A=1\nA=2' })).toEqual({ ok: false, problem: 'A is given twice.' });
    const many = Array.from({ length: 51 }, (_, i) => `K${i}=v`).join('\n');
    expect(toTriggerPlan('web', { branch: 'main', custom: '', variables: many })).toEqual({ ok: false, problem: 'At most 50 variables.' });
  });
});
