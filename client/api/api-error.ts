import type { ConnectPrompt } from '../../server/web/api/contracts';

/** One problem of an invalid input, by the path of the field it is about. */
export interface ApiIssue {
  path: string;
  message: string;
}

/** Codes the client itself assigns; any other code comes verbatim from the server's ApiErrorBody. */
export type ClientErrorCode = 'network_error' | 'bad_response';

/**
 * A failed API call. `status` is the HTTP status, or 0 when no answer arrived (network error).
 * `code` is the server's ApiErrorBody error.code, or a ClientErrorCode.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Set when the action needs the viewer's own Bitbucket connection (or more scopes on it). */
  readonly connect: ConnectPrompt | null;
  /** A 422's problems by field (`settings.webhooks.0.url`), when the server named them. */
  readonly issues: ApiIssue[];

  constructor(status: number, code: string, message: string, connect: ConnectPrompt | null = null, issues: ApiIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.connect = connect;
    this.issues = issues;
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;
