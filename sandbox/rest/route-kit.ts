import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { SandboxActions } from '../actions/create-actions';
import type { RateLimitBucket, RateLimiter } from '../limits/create-rate-limiter';
import type { RequestCounter } from '../limits/create-request-counter';
import type { ApiContext } from '../serialize/api-context';
import { getPullRequest, getRepository, getWorkspace, getWorkspaceOf } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { PullRequest, Repository, SandboxState } from '../state/types';
import { type AuthResult, authenticate, canAccessWorkspace, hasGrantedScope, type Principal } from './authenticate';
import { sendError } from './send-error';

export const SCOPE_MESSAGE = 'Your credentials lack one or more required privilege scopes.';
export const RATE_LIMIT_MESSAGE = 'Rate limit for this resource has been exceeded';

export interface RestRouterDeps {
  ctx: ApiContext;
  actions: SandboxActions;
  now: () => Date;
  /** Applied to /2.0/repositories/* only, like Bitbucket's 1,000/h bucket. */
  rateLimiter?: RateLimiter;
  /** Whether a 429 carries Retry-After (Bitbucket does not promise it). */
  sendRetryAfter?: boolean;
  /** Counts every authenticated request per credential. */
  requestCounter?: RequestCounter;
  /** Replaceable for tests that need a user principal before OAuth exists. */
  authenticate?: (req: Request, state: SandboxState, now: Date) => AuthResult;
}

export type Handler = (req: Request, res: Response, principal: Principal) => void;

export interface GuardOptions {
  /** 'repository' (default when the route has :repo_slug) 404s unknown repos; 'workspace' only checks the workspace (create). */
  resolve?: 'workspace' | 'repository';
}

export interface RouteKit {
  ctx: ApiContext;
  state: SandboxState;
  actions: SandboxActions;
  guard(scope: string | null, handler: Handler, opts?: GuardOptions): RequestHandler;
  parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T>;
  repoOf(req: Request): Repository;
  prOf(req: Request): { repo: Repository; pr: PullRequest };
  repoRef(req: Request): { workspace: string; repo: string };
  prRef(req: Request): { workspace: string; repo: string; id: number };
  /** Connect apps act as their own bot user (created at install); users act as themselves. */
  actorOf(p: Principal): string;
  /** 401 for app credentials on user-only endpoints (/user/...). */
  requireUser(p: Principal): Extract<Principal, { kind: 'user' }>;
  intParam(req: Request, name: string, what: string): number;
}

/** The hourly buckets a request counts against (see create-rate-limiter.ts for the sources). */
function toRateLimitBuckets(path: string): RateLimitBucket[] {
  const buckets: RateLimitBucket[] = [];
  if (path.startsWith('/repositories/')) buckets.push('repositories');
  if (/^\/(repositories\/[^/]+\/[^/]+|workspaces\/[^/]+)\/hooks(\/|$)/.test(path)) buckets.push('webhooks');
  return buckets;
}

function toCredentialKey(p: Principal): string {
  return p.kind === 'app' ? `app:${p.installation.clientKey}` : `user:${p.user.uuid}`;
}

export function createRouteKit(deps: RestRouterDeps): RouteKit {
  const { ctx, actions, now } = deps;
  const { state } = ctx;
  const auth = deps.authenticate ?? authenticate;

  const repoOf = (req: Request) => getRepository(state, String(req.params.workspace), String(req.params.repo_slug));

  return {
    ctx,
    state,
    actions,
    guard: (scope, handler, opts = {}) => (req, res) => {
      const result = auth(req, state, now());
      if (!result.ok) return sendError(res, result.status, result.message);
      const principal = result.principal;
      try {
        const credential = toCredentialKey(principal);
        const limiter = deps.rateLimiter;
        const buckets = toRateLimitBuckets(req.path);
        for (const bucket of limiter ? buckets : []) {
          const taken = limiter?.take(credential, bucket);
          if (taken && !taken.ok) {
            deps.requestCounter?.record(credential, { repositories: buckets.includes('repositories'), limited: true });
            if (deps.sendRetryAfter ?? true) res.set('Retry-After', String(taken.retryAfterSeconds));
            return sendError(res, 429, RATE_LIMIT_MESSAGE);
          }
          if (limiter) res.set('X-RateLimit-Limit', String(limiter.limitOf(bucket)));
        }
        deps.requestCounter?.record(credential, { repositories: req.path.startsWith('/repositories/'), limited: false });
        // Resolve the target first: unknown → 404, other workspace → 403, then scopes.
        const wsRef = req.params.workspace;
        if (wsRef !== undefined) {
          const byRepo = req.params.repo_slug !== undefined && (opts.resolve ?? 'repository') === 'repository';
          const ws = byRepo ? getWorkspaceOf(state, repoOf(req)) : getWorkspace(state, wsRef);
          if (!canAccessWorkspace(principal, ws.uuid)) return sendError(res, 403, `Your credentials do not grant access to workspace '${ws.slug}'.`);
        }
        if (scope && !hasGrantedScope(principal, scope)) return sendError(res, 403, SCOPE_MESSAGE, { required: [scope], granted: principal.granted });
        handler(req, res, principal);
      } catch (err) {
        if (err instanceof SandboxError) return sendError(res, err.status, err.message, err.detail, err.data);
        throw err;
      }
    },
    parse(schema, body) {
      const r = schema.safeParse(body);
      if (!r.success) {
        const msg = r.error.issues.map((i) => (i.message.includes(':') ? i.message : `${i.path.join('.') || 'body'}: ${i.message}`)).join('; ');
        throw new SandboxError(400, msg);
      }
      return r.data;
    },
    repoOf,
    prOf(req) {
      const repo = repoOf(req);
      const id = Number(req.params.pull_request_id);
      if (!Number.isInteger(id) || id < 1) throw new SandboxError(404, `Pull request ${String(req.params.pull_request_id)} not found.`);
      return { repo, pr: getPullRequest(state, repo, id) };
    },
    repoRef: (req) => ({ workspace: String(req.params.workspace), repo: String(req.params.repo_slug) }),
    prRef: (req) => ({ workspace: String(req.params.workspace), repo: String(req.params.repo_slug), id: Number(req.params.pull_request_id) }),
    actorOf: (p) => (p.kind === 'user' ? p.user.uuid : p.installation.appUserUuid),
    requireUser(p) {
      if (p.kind !== 'user') throw new SandboxError(401, 'This endpoint requires a user: an app JWT has no user context.');
      return p;
    },
    intParam(req, name, what) {
      const n = Number(req.params[name]);
      if (!Number.isInteger(n) || n < 1) throw new SandboxError(404, `No ${what} with id ${String(req.params[name])}.`);
      return n;
    },
  };
}
