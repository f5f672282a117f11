import { describe, expect, it } from 'vitest';
import { toActsAsLabel } from '../../../client/pr-panel/to-acts-as-label';

describe('toActsAsLabel', () => {
  it('says when a step acts as the app, and when it acts as the viewer', () => {
    expect(toActsAsLabel('installation')).toMatchObject({ label: 'acts as Bosun', testId: 'plan-step-acts-as-app' });
    expect(toActsAsLabel('installation')?.title).toContain('not as you');
    expect(toActsAsLabel('user')).toMatchObject({ label: 'acts as you', testId: 'plan-step-acts-as-user' });
    expect(toActsAsLabel(null)).toBeNull();
  });
});
