import { TimeoutError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import {
  ConfirmationRequiredError,
  ExecutionInProgressError,
  InvalidPlanError,
  MissingScopesError as AgentMissingScopesError,
  NotConnectedError as AgentNotConnectedError,
  ToolError,
  describeFailure,
} from '../../../server/agent';
import { AccountAlreadyLinkedError, NotConnectedError, OAuthFlowError, RefreshLeaseBusyError } from '../../../server/auth';
import { toBitbucketError } from '../../../server/bitbucket/errors';
import { WebhookPayloadError } from '../../../server/bitbucket/webhooks';
import { LifecycleRejectedError } from '../../../server/connect';
import { isBosunError, toBosunError } from '../../../server/errors';
import { HostAuthError } from '../../../server/host';
import { PermanentJobError, RetryableJobError, toJobFailure } from '../../../server/jobs';
import { DatabaseBusyError, toDatabaseBusyError } from '../../../server/storage';
import { NotWorkspaceAdminError } from '../../../server/web/api/not-workspace-admin-error';
import { TooManyRequestsError } from '../../../server/web/api/too-many-requests-error';
import { QueueConfigurationError } from '../../../server/create-merge-queue-services';
import { PageScopeRefusedError, ViewerUnknownError } from '../../../server/web/api/session-routes';
import { toHttpError } from '../../../server/web/error-handler';
import { NotFoundError, RequestValidationError } from '../../../server/web/request-validation-error';

const target = { method: 'GET', path: '/repositories/acme/web' };
const bitbucket = (status: number, retryAfter: string | null = null) => toBitbucketError(status, target, null, retryAfter, 0);

describe('every error Bosun raises carries code, httpStatus, retryable and retryAfterMs', () => {
  it.each([
    ['Bitbucket 400', bitbucket(400), 502, false],
    ['Bitbucket 401', bitbucket(401), 502, false],
    ['Bitbucket 403', bitbucket(403), 403, false],
    ['Bitbucket 404', bitbucket(404), 404, false],
    ['Bitbucket 409', bitbucket(409), 502, true],
    ['Bitbucket 429', bitbucket(429, '7'), 503, true],
    ['Bitbucket 500', bitbucket(500), 502, true],
    ['Bitbucket 410', bitbucket(410), 502, false],
    ['host auth', new HostAuthError('JWT_QSH', 'qsh'), 401, false],
    ['lifecycle', new LifecycleRejectedError('LIFECYCLE_WRONG_APP', 'wrong app', 403), 403, false],
    ['user authorization', new NotConnectedError(['pullrequest:write']), 403, false],
    ['OAuth flow', new OAuthFlowError('OAUTH_STATE_INVALID', 'bad state'), 400, false],
    ['OAuth not configured', new OAuthFlowError('OAUTH_NOT_CONFIGURED', 'no consumer'), 503, false],
    ['queue configuration', new QueueConfigurationError('another workspace'), 422, false],
    ['page scope (Forge)', new PageScopeRefusedError('other page'), 403, false],
    ['viewer unknown (Forge)', new ViewerUnknownError('no user token'), 403, false],
    ['account linked', new AccountAlreadyLinkedError('linked'), 409, false],
    ['refresh lease busy', new RefreshLeaseBusyError(), 503, true],
    ['agent not connected', new AgentNotConnectedError('connect', { userUuid: null, requiredScopes: [] }), 403, false],
    ['agent missing scopes', new AgentMissingScopesError('scopes', { requiredScopes: ['repository'] }), 403, false],
    ['confirmation', new ConfirmationRequiredError(['destructive']), 409, false],
    ['invalid plan', new InvalidPlanError(['no such tool']), 400, false],
    ['execution in progress', new ExecutionInProgressError('k'), 409, true],
    ['tool refused', new ToolError('declined'), 422, false],
    ['webhook payload', new WebhookPayloadError('bad'), 400, false],
    ['request validation', new RequestValidationError('bad'), 400, false],
    ['not found', new NotFoundError('nothing'), 404, false],
    ['not admin', new NotWorkspaceAdminError(), 403, false],
    ['too many requests', new TooManyRequestsError(3), 429, true],
    ['job permanent', new PermanentJobError('no'), 500, false],
    ['job retryable', new RetryableJobError('later', 5000), 500, true],
    ['database busy', new DatabaseBusyError(), 503, true],
  ])('%s', (_name, err, httpStatus, retryable) => {
    expect(isBosunError(err)).toBe(true);
    expect(err).toMatchObject({ httpStatus, retryable });
    expect(typeof (err as { code: unknown }).code).toBe('string');
  });

  it('retryAfterMs is what Bitbucket said (Retry-After), null when it said nothing', () => {
    expect(bitbucket(429, '7').retryAfterMs).toBe(7000);
    expect(bitbucket(429).retryAfterMs).toBeNull();
    expect(bitbucket(503).retryAfterMs).toBeNull();
    expect(bitbucket(409).retryAfterMs).toBeNull();
  });

  it('a library error is in the model only through its adapter’s classifier', () => {
    const busy = new TimeoutError(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }) as never);
    expect(toBosunError(busy)).toBeNull();
    expect(toBosunError(busy, [toDatabaseBusyError])).toMatchObject({ code: 'DATABASE_BUSY', httpStatus: 503, retryable: true, retryAfterMs: 1000 });
    expect(toBosunError(new Error('bug'), [toDatabaseBusyError])).toBeNull();
  });
});

describe('the HTTP mapper, the executor and the worker read the fields', () => {
  it('the mapper answers the error’s status, Retry-After from retryAfterMs, and a 500 without detail for a bug', () => {
    expect(toHttpError(bitbucket(429, '7'))).toMatchObject({ status: 503, code: 'BITBUCKET_RATE_LIMITED', headers: { 'Retry-After': '7' } });
    expect(toHttpError(bitbucket(429))).toMatchObject({ status: 503, headers: { 'Retry-After': '60' } });
    expect(toHttpError(bitbucket(404))).toMatchObject({ status: 404, code: 'BITBUCKET_NOT_FOUND', message: 'Bitbucket could not find that (it may have been deleted or moved)' });
    expect(toHttpError(new NotConnectedError(['pullrequest:write']))).toMatchObject({
      status: 403,
      code: 'OAUTH_NOT_CONNECTED',
      connect: { reason: 'not_connected', requiredScopes: ['pullrequest:write'] },
    });
    expect(toHttpError(new TooManyRequestsError(3))).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    const bug = toHttpError(new Error('SELECT secret FROM tenants'));
    expect(bug).toEqual({ status: 500, code: 'INTERNAL', message: 'Something went wrong inside Bosun; the error was logged' });
    expect(toHttpError(new PermanentJobError('queue detail'))).toMatchObject({ status: 500, code: 'INTERNAL' });
  });

  it('a failed step records whether and when to try again, from the error', () => {
    const step = { tool: 'pullRequest.merge', actsAs: 'installation' as const, input: { repo: 'web', pullRequestId: 3 }, tenant: { clientKey: 'c', workspace: 'acme' } };
    expect(describeFailure(bitbucket(429, '9'), step)).toMatchObject({ code: 'BITBUCKET_RATE_LIMITED', retryable: true, retryAfterMs: 9000 });
    expect(describeFailure(bitbucket(404), step)).toMatchObject({ code: 'BITBUCKET_NOT_FOUND', retryable: false, retryAfterMs: null });
    expect(describeFailure(new Error('bug'), step)).toMatchObject({ code: 'AGENT_INTERNAL', retryable: false, retryAfterMs: null });
  });

  it('the worker retries what is retryable, after its retryAfterMs, and dead-letters the rest', () => {
    expect(toJobFailure(bitbucket(429, '4'))).toMatchObject({ retryable: true, retryAfterMs: 4000 });
    expect(toJobFailure(new DatabaseBusyError())).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    expect(toJobFailure(new PermanentJobError('no'))).toMatchObject({ retryable: false });
    expect(toJobFailure(new ToolError('declined'))).toMatchObject({ retryable: false });
  });
});
