import type {
  AdminSettingsView,
  PersonalSettingsView,
  PullRequestPanelView,
  RepoDashboardView,
} from '../../server/web/api/contracts';
import { ApiError } from './api-error';
import { toApiError } from './to-api-error';

/** The part of fetch the client uses; inject a fake in tests. */
export type FetchLike = (input: string, init: { method: 'GET'; headers: Record<string, string> }) => Promise<Response>;

export interface ApiClientOptions {
  token: string;
  fetch: FetchLike;
}

export interface ApiClient {
  getPullRequestPanel(repoUuid: string, prId: string): Promise<PullRequestPanelView>;
  getRepoDashboard(repoUuid: string): Promise<RepoDashboardView>;
  getAdminSettings(): Promise<AdminSettingsView>;
  getPersonalSettings(): Promise<PersonalSettingsView>;
}

const toQuery = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

/**
 * A typed client for Bosun's panel API (same origin, relative URLs).
 * Every method resolves to the contract view or rejects with an ApiError.
 */
export const createApiClient = ({ token, fetch }: ApiClientOptions): ApiClient => {
  // The response body is trusted to match the contract: the server is ours and validates its output.
  const getJson = async <T>(path: string): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'GET',
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
      });
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, 'network_error', `Could not reach Bosun (${detail})`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw toApiError(response.status, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'bad_response', 'Bosun answered with something that is not JSON');
    }
  };

  return {
    getPullRequestPanel: (repoUuid, prId) =>
      getJson<PullRequestPanelView>(`/api/pr-panel${toQuery({ repoUuid, prId })}`),
    getRepoDashboard: (repoUuid) => getJson<RepoDashboardView>(`/api/repo-dashboard${toQuery({ repoUuid })}`),
    getAdminSettings: () => getJson<AdminSettingsView>('/api/admin-settings'),
    getPersonalSettings: () => getJson<PersonalSettingsView>('/api/personal-settings'),
  };
};
