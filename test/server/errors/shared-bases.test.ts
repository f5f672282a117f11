import { describe, expect, it } from 'vitest';
import { ConflictError, ExternalHostError, NotFoundError, RateLimitedError } from '../../../server/bitbucket';
import { ExecutionInProgressError, ExecutionTakenOverError } from '../../../server/agent/errors';
import { ReviewerCursorBusyError } from '../../../server/agent/planner/rules-reviewer-turn';
import { MissingScopesError, NotConnectedError, OAuthFlowError, OAuthGrantError, ReconnectRequiredError } from '../../../server/auth/errors';
import { RefreshLeaseBusyError } from '../../../server/auth/user-connection-store';
import { LifecycleRejectedError } from '../../../server/connect/errors';
import { isBosunError, PermanentError, RetryableError } from '../../../server/errors';
import { ForgeAppTokenPendingError } from '../../../server/forge/errors';
import { ConnectMigrationError } from '../../../server/forge/migrate-connect-tenant';
import { BulkheadFullError } from '../../../server/host/create-bulkhead';
import { DatabaseBusyError } from '../../../server/storage/database-busy';
import { TooManyRequestsError } from '../../../server/web/api/too-many-requests-error';

/** The errors that spelled the model's fields by hand now take them from the shared bases, unchanged. */
describe('the shared bases of the error model', () => {
  it('permanent ones keep their code, status and name, never retryable', () => {
    const cases: Array<[Error, string, number, string]> = [
      [new NotConnectedError(['account']), 'OAUTH_NOT_CONNECTED', 403, 'NotConnectedError'],
      [new ReconnectRequiredError(), 'OAUTH_RECONNECT_REQUIRED', 403, 'ReconnectRequiredError'],
      [new MissingScopesError(['repository'], []), 'OAUTH_SCOPES_MISSING', 403, 'MissingScopesError'],
      [new OAuthFlowError('OAUTH_NOT_CONFIGURED', 'no consumer'), 'OAUTH_NOT_CONFIGURED', 503, 'OAuthFlowError'],
      [new OAuthFlowError('OAUTH_DENIED', 'denied'), 'OAUTH_DENIED', 400, 'OAuthFlowError'],
      [new OAuthGrantError('invalid_grant', 'refused'), 'OAUTH_GRANT_REFUSED', 502, 'OAuthGrantError'],
      [new LifecycleRejectedError('LIFECYCLE_WRONG_APP', 'not ours', 403), 'LIFECYCLE_WRONG_APP', 403, 'LifecycleRejectedError'],
      [new ConnectMigrationError('AMBIGUOUS', 'two'), 'AMBIGUOUS', 409, 'ConnectMigrationError'],
    ];
    for (const [error, code, httpStatus, name] of cases) {
      expect(error).toBeInstanceOf(PermanentError);
      expect(isBosunError(error)).toBe(true);
      expect(error).toMatchObject({ code, httpStatus, name, retryable: false, retryAfterMs: null });
    }
    expect(new MissingScopesError(['repository'], ['account'])).toMatchObject({ reason: 'missing_scopes', requiredScopes: ['repository'], grantedScopes: ['account'] });
  });

  it('retryable ones keep their code, status, name and wait', () => {
    const cases: Array<[Error, string, number, number | null, string]> = [
      [new RefreshLeaseBusyError(), 'DATABASE_BUSY', 503, 1000, 'RefreshLeaseBusyError'],
      [new DatabaseBusyError(), 'DATABASE_BUSY', 503, 1000, 'DatabaseBusyError'],
      [new ReviewerCursorBusyError(), 'AGENT_REVIEWER_CURSOR_BUSY', 503, 1000, 'ReviewerCursorBusyError'],
      [new ForgeAppTokenPendingError(), 'FORGE_APP_TOKEN_PENDING', 503, expect.any(Number) as unknown as number, 'ForgeAppTokenPendingError'],
      [new BulkheadFullError('installations', 2500), 'OVERLOADED', 503, 2500, 'BulkheadFullError'],
      [new TooManyRequestsError(7), 'TOO_MANY_REQUESTS', 429, 7000, 'TooManyRequestsError'],
      [new ExecutionInProgressError('k'), 'AGENT_EXECUTION_IN_PROGRESS', 409, 1000, 'ExecutionInProgressError'],
      [new ExecutionTakenOverError('k'), 'AGENT_EXECUTION_TAKEN_OVER', 409, null, 'ExecutionTakenOverError'],
    ];
    for (const [error, code, httpStatus, retryAfterMs, name] of cases) {
      expect(error).toBeInstanceOf(RetryableError);
      expect(isBosunError(error)).toBe(true);
      expect(error).toMatchObject({ code, httpStatus, name, retryable: true, retryAfterMs });
    }
    expect(new TooManyRequestsError(7).retryAfterSeconds).toBe(7);
    const cause = new Error('SQLITE_BUSY');
    expect(new DatabaseBusyError({ cause }).cause).toBe(cause);
  });

  it("bitbucket/'s errors carry the model by shape: a reader of `retryable` alone retries rate limits and outages, not a 404", () => {
    const target = { method: 'GET', path: '/repositories/acme/web' };
    const limited = new RateLimitedError('limited', target, null, 3000);
    const down = new ExternalHostError('down', target, { status: null, reason: 'network' });
    const missing = new NotFoundError('gone', target, null);
    for (const error of [limited, down, missing, new ConflictError('moved', target, null)]) expect(isBosunError(error)).toBe(true);
    expect([limited, down, missing].map((e) => [e.code, e.retryable, e.retryAfterMs])).toEqual([
      ['BITBUCKET_RATE_LIMITED', true, 3000],
      ['BITBUCKET_EXTERNAL_HOST', true, null],
      ['BITBUCKET_NOT_FOUND', false, null],
    ]);
  });
});
