import type { Request } from 'express';
import type { Tenant } from './tenant';
import type { Viewer } from './viewer';

/** Who the host says is acting, as far as it vouches for it (null when it does not say). */
export interface HostActor {
  userUuid: string | null;
  accountId: string | null;
}

/** What a host gives Bosun's web layer: verified requests and iframe sessions. */
export interface HostAuthenticator {
  /** A request the host made or built (iframe URL, webhook), verified as the host signs it. */
  verifyHostRequest(req: Request): Promise<{ tenant: Tenant; actor: HostActor }>;
  /**
   * A request from one of our iframes: the session token minted for it. `userToken`: the viewer's
   * own token when the host sends one with the request (Forge), for this request only, never logged.
   */
  verifySession(req: Request): Promise<{ tenant: Tenant; viewer: Viewer; userToken?: string }>;
  /** A short-lived session for an iframe's own API calls, minted after its host request was verified. */
  mintSession(viewer: Omit<Viewer, 'host'>): string;
}
