import type { HostKind } from './tenant';

export const pageNames = ['pr-panel', 'repo-dashboard', 'admin-settings', 'personal-settings', 'workspace'] as const;

/** A Bosun page a host frames. */
export type PageName = (typeof pageNames)[number];

/** Who is looking at a Bosun iframe: the tenant, the viewing user, and which page minted the session. */
export interface Viewer {
  clientKey: string;
  /** The installation the session was minted for: a session dies with it, even if the clientKey installs again. */
  installId: string;
  userUuid: string | null;
  accountId: string | null;
  page: PageName;
  /**
   * The host that vouched for this viewer: it decides how a refusal is answered (Forge reserves 401
   * for a FIT the remote did not accept, so a Forge viewer Bitbucket did not name is a 403).
   */
  host: HostKind;
}
