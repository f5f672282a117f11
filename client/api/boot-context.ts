import type { PageContext, PageName } from '../../server/web/api/contracts';

/** The Connect modules this client builds; each is one page. */
export const PAGE_NAMES = ['pr-panel', 'repo-dashboard', 'admin-settings', 'personal-settings', 'workspace'] as const satisfies readonly PageName[];

export type { PageContext, PageName };

/** Everything a page needs from the server before its first API call. */
export interface BootContext {
  token: string;
  context: PageContext;
}
