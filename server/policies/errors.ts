import type { PolicyIssue } from './resolve-policy';

export class PolicyConflictError extends Error {
  readonly code = 'POLICY_CONFLICT' as const;
  readonly httpStatus = 409;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(readonly scope: string, readonly storedVersion: number) {
    super(`The policy for ${scope} changed meanwhile (now version ${storedVersion}); reload and edit again.`);
    this.name = 'PolicyConflictError';
  }
}

export class InvalidPolicyError extends Error {
  readonly code = 'INVALID_POLICY' as const;
  readonly httpStatus = 422;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(readonly issues: PolicyIssue[]) {
    super(`The policy is invalid: ${issues.slice(0, 3).map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}
