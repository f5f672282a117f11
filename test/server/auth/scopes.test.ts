import { describe, expect, it } from 'vitest';
import { expandScopes, missingScopes } from '../../../server/auth';

describe('scope lattice', () => {
  it.each([
    [['pullrequest:write'], ['pullrequest', 'repository', 'repository:write'], []],
    [['pullrequest'], ['repository'], []],
    [['pullrequest'], ['repository:write'], ['repository:write']],
    [['repository:admin'], ['repository'], ['repository']],
    [['pipeline:write'], ['pipeline'], []],
    [[], ['account'], ['account']],
    [['account'], ['made:up'], ['made:up']],
  ])('granted %j, required %j → missing %j', (granted, required, missing) => {
    expect(missingScopes(granted, required)).toEqual(missing);
  });

  it('follows implications transitively', () => {
    expect([...expandScopes(['pullrequest:write'])].sort()).toEqual(['pullrequest', 'pullrequest:write', 'repository', 'repository:write']);
  });
});
