import type { AdminSettingsView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { isApiError } from '../api/api-error';

/** The admin settings page's data, or the plain fact that the viewer is not a workspace admin. */
export type AdminSettingsLoad = { kind: 'settings'; view: AdminSettingsView } | { kind: 'admins-only' };

/** Bosun decides who is an admin (asking Bitbucket); a 403 here is that answer, not a failure. */
export const loadAdminSettings = async (api: Pick<ApiClient, 'getAdminSettings'>): Promise<AdminSettingsLoad> => {
  try {
    return { kind: 'settings', view: await api.getAdminSettings() };
  } catch (error) {
    if (isApiError(error) && error.status === 403) return { kind: 'admins-only' };
    throw error;
  }
};
