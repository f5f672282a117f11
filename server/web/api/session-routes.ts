import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { PermanentError } from '../../errors';
import { HostAuthError, type HostAuthenticator, type HostUserTokens, type PageName, type Tenant, type Viewer } from '../../host';
import { RequestValidationError } from '../request-validation-error';
import type { PersonRateLimit } from './person-rate-limit';
import type { WorkspaceAdminCheck } from './workspace-admin-check';

/** A handler's answer when it is not a plain 200 with JSON. */
export class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export type SessionHandler = (ctx: { tenant: Tenant; viewer: Viewer; req: Request }) => Promise<unknown>;

/**
 * A Forge page's valid FIT asking for an API outside its page: 403, since Forge reserves 401 for a
 * FIT the remote did not accept (https://developer.atlassian.com/platform/forge/remote/essentials/).
 */
export class PageScopeRefusedError extends PermanentError<'SESSION_SCOPE'> {
  constructor(message: string) {
    super('SESSION_SCOPE', 403, message);
  }
}

/** Each session is bound to the page it was minted for: a PR panel's token cannot read admin settings. */
function requirePage(tenant: Tenant, viewer: Viewer, pages: PageName[]): void {
  if (!pages.includes(viewer.page)) {
    const message = `This session (from the ${viewer.page} page) may not call this API`;
    if (tenant.host === 'forge') throw new PageScopeRefusedError(message);
    throw new HostAuthError('SESSION_SCOPE', message);
  }
}

/**
 * Pages only workspace admins may open: every API call from their sessions is checked against Bitbucket.
 * The workspace page lists every repository the installation sees, private ones included, so a member
 * (who may not see them all in Bitbucket) is refused too, as Bitbucket shows workspace settings to admins only.
 */
export const ADMIN_PAGES: readonly PageName[] = ['admin-settings', 'workspace'];

export interface SessionGuards {
  auth: HostAuthenticator;
  /** Whether the viewer administers the workspace, asked of Bitbucket (cached briefly). */
  admin: WorkspaceAdminCheck;
  /** Per-person limit on state-changing calls. */
  writes: PersonRateLimit;
  /** Holds the viewer's host-given token (Forge's user token) while their request runs; absent: none is kept. */
  userTokens?: HostUserTokens;
}

/**
 * Routes for the iframes' own calls: session checked, page checked, admin pages' calls checked
 * against Bitbucket, state-changing calls rate-limited per person, JSON in and out, errors to the one mapper.
 */
export function createSessionRoutes(router: Router, guards: SessionGuards) {
  const json = express.json({ limit: '64kb' });
  return (method: 'get' | 'post' | 'delete', path: string, pages: PageName[], handler: SessionHandler) =>
    router[method](path, json, async (req, res, next) => {
      try {
        const { tenant, viewer, userToken } = await guards.auth.verifySession(req);
        requirePage(tenant, viewer, pages);
        res.setHeader('Cache-Control', 'no-store');
        if (method !== 'get') {
          await guards.writes.take(req, res, { clientKey: tenant.clientKey, userKey: viewer.userUuid ?? viewer.accountId ?? 'anonymous' });
        }
        const serve = async () => {
          if (ADMIN_PAGES.includes(viewer.page)) await guards.admin.requireAdmin(tenant, viewer.userUuid);
          return handler({ tenant, viewer, req });
        };
        // Acting as the viewer with the token their host sent works for this request only (Forge's x-forge-oauth-user).
        const answer = userToken && viewer.userUuid && guards.userTokens
          ? await guards.userTokens.run({ clientKey: tenant.clientKey, userUuid: viewer.userUuid, accessToken: userToken }, serve)
          : await serve();
        if (answer instanceof HttpAnswer) res.status(answer.status).json(answer.body);
        else res.json(answer);
      } catch (err) {
        next(err);
      }
    });
}

export function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw RequestValidationError.fromZod('query', parsed.error);
  return parsed.data;
}

export function parseBody<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) throw RequestValidationError.fromZod('body', parsed.error);
  return parsed.data;
}

/**
 * A Forge page's valid FIT whose person Bitbucket would not name (no user token, or not theirs):
 * 403, as every Forge refusal but a bad FIT (https://developer.atlassian.com/platform/forge/remote/essentials/).
 */
export class ViewerUnknownError extends PermanentError<'VIEWER_UNKNOWN'> {
  constructor(message: string) {
    super('VIEWER_UNKNOWN', 403, message);
  }
}

/** The viewer's Bitbucket uuid, or the refusal their host answers with (Connect 401, Forge 403). */
export function requireViewerUuid(viewer: Viewer): string {
  if (viewer.userUuid) return viewer.userUuid;
  if (viewer.host === 'forge') throw new ViewerUnknownError('Bitbucket did not say who you are for this Forge page (no user token came with the call); reload it');
  throw new HostAuthError('SESSION_SCOPE', 'Bitbucket did not say who is viewing this page; reload it');
}

/** A Bitbucket uuid as Connect passes it in URLs: braces included. */
export const uuidParam = z.string().regex(/^\{[0-9a-fA-F-]{36}\}$/, 'must be a Bitbucket uuid in braces');
