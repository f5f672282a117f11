import { describe, expect, it } from 'vitest';
import { checkDescription } from '../../../server/rules';

const policy = { requiredSections: ['Summary', 'Testing'], minLength: 20 };

describe('checkDescription', () => {
  it('passes a description with every section filled', () => {
    const r = checkDescription('## Summary\nFixes the login redirect.\n\n### testing:\nUnit tests added.', policy);
    expect(r.ok).toBe(true);
    expect(r.status).toEqual({ key: 'bosun/policy', state: 'SUCCESSFUL', name: 'Bosun: description', description: 'The description follows the template.' });
  });

  it('says what is missing, what is empty (template hints do not count) and when it is too short', () => {
    const r = checkDescription('## Summary\n<!-- what and why -->\n', policy);
    expect(r).toMatchObject({ ok: false, missing: ['Testing'], empty: ['Summary'], tooShort: true });
    expect(r.status.state).toBe('FAILED');
    expect(r.status.description).toBe('Description: missing Testing; empty Summary; shorter than 20 characters.');
  });

  it('an empty policy passes anything, even an empty description', () => {
    expect(checkDescription('', { requiredSections: [], minLength: 0 }).ok).toBe(true);
  });
});
