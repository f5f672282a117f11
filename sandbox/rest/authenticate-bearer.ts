import type { AuthResult } from './authenticate';
import type { SandboxState } from '../state/types';

export const EXPIRED_TOKEN_MESSAGE = 'Access token expired. Use your refresh token to obtain a new access token.';
export const INVALID_TOKEN_MESSAGE = 'Token is invalid, expired, or not supported for this endpoint.';

/**
 * `Authorization: Bearer <token>` for /2.0. A user token yields a `user` principal with the scopes
 * consented on the consumer and the workspaces the user belongs to; a JWT-grant token acts as its
 * Connect installation, exactly like the app JWT would.
 */
export function authenticateBearer(token: string, state: SandboxState, now: Date): AuthResult {
  const at = state.oauth.accessTokens.find((t) => t.token === token);
  if (!at) return { ok: false, status: 401, message: INVALID_TOKEN_MESSAGE };
  if (at.expiresAt <= now.getTime()) return { ok: false, status: 401, message: EXPIRED_TOKEN_MESSAGE };
  if (at.subject.kind === 'app') {
    const clientKey = at.subject.clientKey;
    const installation = state.installations.find((i) => i.clientKey === clientKey);
    if (!installation) return { ok: false, status: 401, message: INVALID_TOKEN_MESSAGE };
    return { ok: true, principal: { kind: 'app', installation, granted: at.scopes, user: null } };
  }
  const userUuid = at.subject.userUuid;
  const user = state.users.find((u) => u.uuid === userUuid);
  if (!user) return { ok: false, status: 401, message: INVALID_TOKEN_MESSAGE };
  const workspaceUuids = state.workspaces
    .filter((w) => w.members.includes(user.nickname) || w.admins.includes(user.nickname))
    .map((w) => w.uuid);
  return { ok: true, principal: { kind: 'user', user, granted: at.scopes, workspaceUuids } };
}
