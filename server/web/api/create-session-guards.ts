import type { HostAuthenticator, InstallationClientFactory, TenantStore } from '../../host';
import { createPersonRateLimit } from './person-rate-limit';
import type { SessionGuards } from './session-routes';
import { createWorkspaceAdminCheck } from './workspace-admin-check';

export interface WebLimits {
  /** State-changing API calls one person may make per minute; 0: no limit. */
  writesPerMinute: number;
  /** How long Bitbucket's "yes, an admin" is trusted; 0: ask every time. */
  adminCheckTtlSeconds: number;
}

export const DEFAULT_WEB_LIMITS: WebLimits = { writesPerMinute: 30, adminCheckTtlSeconds: 60 };

/** One admin check and one per-person limiter per app, shared by the pages and every API router. */
export function createSessionGuards(deps: {
  auth: HostAuthenticator;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  now: () => Date;
  limits?: WebLimits;
}): SessionGuards {
  const limits = deps.limits ?? DEFAULT_WEB_LIMITS;
  return {
    auth: deps.auth,
    admin: createWorkspaceAdminCheck({ tenants: deps.tenants, clients: deps.clients, now: deps.now, ttlMs: limits.adminCheckTtlSeconds * 1000 }),
    writes: createPersonRateLimit({ limit: limits.writesPerMinute, windowMs: 60_000, now: deps.now }),
  };
}
