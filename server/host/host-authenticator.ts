import type { Request } from 'express';
import type { Tenant } from './tenant';
import type { Viewer } from './viewer';

/** Who the host says is acting, as far as it vouches for it (null when it does not say). */
export interface HostActor {
  userUuid: string | null;
  accountId: string | null;
}

/**
 * What verifying a request the host made reads of it. Express's Request has all of it; the webhook fast
 * path (web/webhook-fast-path.ts), which answers without Express's objects, builds it from Node's request.
 */
export interface HostRequest {
  method: string;
  /** The path and query as requested (a Connect JWT's qsh covers both). */
  originalUrl: string;
  /** Connect's `jwt`, and an iframe URL's context parameters (`userUuid`, `accountId`), covered by its qsh. */
  query: { readonly jwt?: unknown; readonly userUuid?: unknown; readonly accountId?: unknown };
  header(name: string): string | undefined;
}

/** What a host gives Bosun's web layer: verified requests and iframe sessions. */
export interface HostAuthenticator {
  /** A request the host made or built (iframe URL, webhook), verified as the host signs it. */
  verifyHostRequest(req: HostRequest): Promise<{ tenant: Tenant; actor: HostActor }>;
  /**
   * A request from one of our iframes: the session token minted for it. `userToken`: the viewer's
   * own token when the host sends one with the request (Forge), for this request only, never logged.
   */
  verifySession(req: Request): Promise<{ tenant: Tenant; viewer: Viewer; userToken?: string }>;
  /** A short-lived session for an iframe's own API calls, minted after its host request was verified. */
  mintSession(viewer: Omit<Viewer, 'host'>): string;
}
