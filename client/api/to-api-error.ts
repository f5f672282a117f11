import type { ConnectPrompt } from '../../server/web/api/contracts';
import { ApiError, type ApiIssue } from './api-error';
import { PlanRefusedError } from './plan-refused-error';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const toFallbackCode = (status: number): string => {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server_error';
  return 'http_error';
};

const toStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const toIssues = (value: unknown): ApiIssue[] =>
  Array.isArray(value)
    ? value.flatMap((i) => (isRecord(i) && typeof i.path === 'string' && typeof i.message === 'string' ? [{ path: i.path, message: i.message }] : []))
    : [];

const CONNECT_REASONS = ['not_connected', 'needs_reconnect', 'missing_scopes'] as const;

const toConnectPrompt = (value: unknown): ConnectPrompt | null => {
  if (!isRecord(value)) return null;
  const reason = CONNECT_REASONS.find((r) => r === value.reason);
  if (!reason) return null;
  return { reason, requiredScopes: toStrings(value.requiredScopes) };
};

/**
 * Maps a non-2xx answer to an ApiError, reading ApiErrorBody {error:{code,message}} when present.
 * A 422 AgentPlanRefusal becomes a PlanRefusedError carrying its suggestions.
 */
export const toApiError = (status: number, bodyText: string): ApiError => {
  const body = parseBody(bodyText);
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    if (status === 422 && error.code === 'PLAN_NOT_UNDERSTOOD') return new PlanRefusedError(error.message, toStrings(error.suggestions));
    return new ApiError(status, error.code, error.message, toConnectPrompt(error.connect), isRecord(body) ? toIssues(body.issues) : []);
  }
  return new ApiError(status, toFallbackCode(status), `Bosun answered with HTTP ${status}`);
};
