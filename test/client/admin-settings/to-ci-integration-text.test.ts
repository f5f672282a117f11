import { describe, expect, it } from 'vitest';
import { toCiFormProblem, toDeliveryAppearance } from '../../../client/admin-settings/to-ci-integration-text';

describe('CI integration form', () => {
  it('names what is wrong before sending', () => {
    expect(toCiFormProblem('  ', '')).toMatch(/Give the integration a name/);
    expect(toCiFormProblem('x'.repeat(101), '')).toMatch(/longer than 100/);
    expect(toCiFormProblem('Jenkins', 'web')).toBe('The repository is written "workspace/repository", like acme/web; not "web".');
    expect(toCiFormProblem('Jenkins', '')).toBeNull();
    expect(toCiFormProblem('Jenkins', ' acme/web ')).toBeNull();
  });

  it('colours outcomes', () => {
    expect([toDeliveryAppearance('accepted'), toDeliveryAppearance('ignored'), toDeliveryAppearance('rejected')]).toEqual(['success', 'default', 'removed']);
  });
});
