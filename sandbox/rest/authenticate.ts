import { decodeSymmetric, SymmetricAlgorithm } from 'atlassian-jwt';
import { createQueryStringHash, fromMethodAndUrl } from 'atlassian-jwt';
import type { Request } from 'express';
import { toEffectiveScopes } from '../connect/scopes';
import { authenticateBearer } from './authenticate-bearer';
import type { Installation, SandboxState, User } from '../state/types';

/**
 * Who is calling /2.0. One place for every credential kind: Connect app JWT, and OAuth
 * Bearer tokens (issued by sandbox/oauth/) that yield kind 'user' (or 'app' for JWT-grant tokens).
 */
export type Principal =
  | { kind: 'app'; installation: Installation; granted: string[]; user: null }
  | { kind: 'user'; user: User; granted: string[]; workspaceUuids: string[] | null };

export type AuthResult = { ok: true; principal: Principal } | { ok: false; status: 401; message: string };

function fail(message: string): AuthResult {
  return { ok: false, status: 401, message };
}

export function authenticate(req: Request, state: SandboxState, now: Date): AuthResult {
  // Since May 2026 Bitbucket takes access tokens only in the Authorization header.
  if (req.query.access_token !== undefined) return fail('Access tokens are accepted only in the Authorization header (Authorization: Bearer <token>), not in the query string.');
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return authenticateBearer(bearer[1]!, state, now);
  const match = /^JWT\s+(\S+)$/i.exec(header);
  if (!match) {
    return fail('This API is only accessible with the following authentication types: session, password, apppassword, api_token, repo_access_token, workspace_access_token, project_access_token, jwt, oauth2');
  }
  const token = match[1]!;
  let claims: Record<string, unknown>;
  try {
    claims = decodeSymmetric(token, '', SymmetricAlgorithm.HS256, true) as Record<string, unknown>;
  } catch {
    return fail('Invalid JWT: the token could not be decoded.');
  }
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  // Outbound app JWTs: iss = app key, sub = clientKey. Accept iss = clientKey too (some clients do that).
  const installation =
    state.installations.find((i) => i.clientKey === sub && i.key === iss) ?? state.installations.find((i) => i.clientKey === iss);
  if (!installation) return fail('Invalid JWT: no installation matches the token issuer.');
  try {
    decodeSymmetric(token, installation.sharedSecret, SymmetricAlgorithm.HS256);
  } catch {
    return fail('Invalid JWT: signature verification failed.');
  }
  const nowSec = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp < nowSec) return fail('Access token expired.');
  if (typeof claims.iat === 'number' && claims.iat > nowSec + 60) return fail('Invalid JWT: issued in the future.');
  const expected = createQueryStringHash(fromMethodAndUrl(req.method, req.originalUrl));
  if (claims.qsh !== expected) return fail('Invalid JWT: the query string hash (qsh) does not match this request.');
  return { ok: true, principal: { kind: 'app', installation, granted: installation.descriptor.scopes ?? [], user: null } };
}

export function canAccessWorkspace(p: Principal, workspaceUuid: string): boolean {
  if (p.kind === 'app') return p.installation.workspaceUuid === workspaceUuid;
  return p.workspaceUuids === null || p.workspaceUuids.includes(workspaceUuid);
}

export function hasGrantedScope(p: Principal, required: string): boolean {
  return toEffectiveScopes(p.granted).has(required);
}
