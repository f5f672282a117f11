import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/api/api-error';
import { createApiClient, type FetchLike } from '../../../client/api/create-api-client';
import { PlanRefusedError } from '../../../client/api/plan-refused-error';
import type { AgentExecuteRequest, AgentPlanRefusal, AuditPageView } from '../../../server/web/api/contracts';
import { createAuditEntry, createJob, createPlanView } from '../agent-fixtures';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

const createFetch = (answer: () => Response): { fetch: FetchLike; calls: Call[] } => {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body });
    return answer();
  };
  return { fetch, calls };
};

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const rejection = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );

describe('the agent endpoints of the API client', () => {
  it('POSTs the plan request as JSON and resolves to the plan view', async () => {
    const view = createPlanView();
    const { fetch, calls } = createFetch(() => json(200, view));
    const api = createApiClient({ token: 'sess', fetch });
    await expect(api.planRequest({ text: 'add @ada', repoUuid: '{r}', prId: 7 })).resolves.toEqual(view);
    expect(calls).toEqual([
      {
        url: '/api/agent/plan',
        method: 'POST',
        headers: { Accept: 'application/json', Authorization: 'Bearer sess', 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'add @ada', repoUuid: '{r}', prId: 7 }),
      },
    ]);
  });

  it('turns a 422 refusal into a PlanRefusedError with its suggestions', async () => {
    const refusal: AgentPlanRefusal = {
      error: { code: 'PLAN_NOT_UNDERSTOOD', message: 'Bosun did not understand "frobnicate"', suggestions: ['merge when green', '/bosun help'] },
    };
    const { fetch } = createFetch(() => json(422, refusal));
    const error = await rejection(createApiClient({ token: 't', fetch }).planRequest({ text: 'frobnicate', repoUuid: '{r}', prId: null }));
    expect(error).toBeInstanceOf(PlanRefusedError);
    // Still an ApiError, so generic handlers keep working.
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'PLAN_NOT_UNDERSTOOD', message: 'Bosun did not understand "frobnicate"' });
    expect((error as PlanRefusedError).suggestions).toEqual(['merge when green', '/bosun help']);
  });

  it('keeps only string suggestions, and none when they are missing', async () => {
    const { fetch } = createFetch(() => json(422, { error: { code: 'PLAN_NOT_UNDERSTOOD', message: 'no', suggestions: ['a', 3, null] } }));
    const api = createApiClient({ token: 't', fetch });
    expect(((await rejection(api.planRequest({ text: 'x', repoUuid: '{r}', prId: 1 }))) as PlanRefusedError).suggestions).toEqual(['a']);
    const bare = createFetch(() => json(422, { error: { code: 'PLAN_NOT_UNDERSTOOD', message: 'no' } }));
    const error = await rejection(createApiClient({ token: 't', fetch: bare.fetch }).planRequest({ text: 'x', repoUuid: '{r}', prId: 1 }));
    expect((error as PlanRefusedError).suggestions).toEqual([]);
  });

  it('leaves other 422s and a connect 403 as plain ApiErrors', async () => {
    const other = createFetch(() => json(422, { error: { code: 'validation_failed', message: 'text is required' } }));
    const error = await rejection(createApiClient({ token: 't', fetch: other.fetch }).planRequest({ text: '', repoUuid: '{r}', prId: 1 }));
    expect(error).not.toBeInstanceOf(PlanRefusedError);
    expect(error).toMatchObject({ status: 422, code: 'validation_failed' });

    const connect = createFetch(() =>
      json(403, { error: { code: 'OAUTH_NOT_CONNECTED', message: 'Connect first', connect: { reason: 'not_connected', requiredScopes: [] } } }),
    );
    const denied = await rejection(createApiClient({ token: 't', fetch: connect.fetch }).planRequest({ text: 'x', repoUuid: '{r}', prId: 1 }));
    expect(denied).toMatchObject({ status: 403, connect: { reason: 'not_connected', requiredScopes: [] } });
  });

  it('POSTs the confirmed plan with its idempotency key and reads the 202 job id', async () => {
    const { fetch, calls } = createFetch(() => json(202, { jobId: 'job-9' }));
    const body: AgentExecuteRequest = { plan: createPlanView().plan, idempotencyKey: 'key-1', confirmed: true };
    await expect(createApiClient({ token: 't', fetch }).executePlan(body)).resolves.toEqual({ jobId: 'job-9' });
    expect(calls[0]).toMatchObject({ url: '/api/agent/execute', method: 'POST' });
    expect(JSON.parse(calls[0]?.body ?? 'null')).toEqual(body);
  });

  it('GETs a job by its id, escaped', async () => {
    const job = createJob({ jobId: 'a/b c' });
    const { fetch, calls } = createFetch(() => json(200, job));
    await expect(createApiClient({ token: 't', fetch }).getAgentJob('a/b c')).resolves.toEqual(job);
    expect(calls[0]).toMatchObject({ url: '/api/agent/jobs/a%2Fb%20c', method: 'GET' });
    expect(calls[0]?.body).toBeUndefined();
  });

  it('GETs the audit log with the filter as a query string', async () => {
    const page: AuditPageView = { entries: [createAuditEntry()], total: 1, limit: 20, offset: 0 };
    const { fetch, calls } = createFetch(() => json(200, page));
    const api = createApiClient({ token: 't', fetch });
    await expect(api.getAuditLog({ repo: 'acme/web', outcome: 'failed', limit: 20, offset: 40 })).resolves.toEqual(page);
    await api.getAuditLog({});
    expect(calls.map((call) => call.url)).toEqual(['/api/audit?repo=acme%2Fweb&outcome=failed&limit=20&offset=40', '/api/audit']);
  });
});
