import { PermanentError } from '../errors';
import type { PolicyIssue } from './resolve-policy';

export class PolicyConflictError extends PermanentError<'POLICY_CONFLICT'> {
  constructor(readonly scope: string, readonly storedVersion: number) {
    super('POLICY_CONFLICT', 409, `The policy for ${scope} changed meanwhile (now version ${storedVersion}); reload and edit again.`);
  }
}

export class InvalidPolicyError extends PermanentError<'INVALID_POLICY'> {
  constructor(readonly issues: PolicyIssue[]) {
    super('INVALID_POLICY', 422, `The policy is invalid: ${issues.slice(0, 3).map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  }
}
