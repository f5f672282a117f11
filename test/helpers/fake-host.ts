import { randomBytes, randomUUID } from 'node:crypto';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';

/** Plays Bitbucket's side of the Connect handshake in tests that need no sandbox. */
export interface FakeInstallation {
  clientKey: string;
  sharedSecret: string;
  workspaceUuid: string;
  baseUrl: string;
}

export function newInstallation(appKey: string, baseUrl = 'http://localhost:4999'): FakeInstallation {
  const workspaceUuid = `{${randomUUID()}}`;
  return {
    clientKey: `ari:cloud:bitbucket::app/${workspaceUuid}/${appKey}`,
    sharedSecret: randomBytes(24).toString('base64url'),
    workspaceUuid,
    baseUrl,
  };
}

export function installedBody(appKey: string, inst: FakeInstallation, overrides: Record<string, unknown> = {}) {
  return {
    productType: 'bitbucket',
    eventType: 'installed',
    key: appKey,
    clientKey: inst.clientKey,
    sharedSecret: inst.sharedSecret,
    publicKey: 'unused',
    baseUrl: inst.baseUrl,
    baseApiUrl: inst.baseUrl,
    principal: { type: 'team', uuid: inst.workspaceUuid, username: 'acme', display_name: 'Acme' },
    actor: { type: 'user', uuid: '{11111111-1111-4111-8111-111111111111}', account_id: '557058:alice' },
    ...overrides,
  };
}

export interface SignOptions {
  clientKey: string;
  secret: string;
  method: string;
  /** Path + query as Bosun will receive it. */
  url: string;
  nowSeconds?: number;
  ttlSeconds?: number;
  qsh?: string;
  extraClaims?: Record<string, unknown>;
}

/** An inbound token exactly as Bitbucket signs it: iss = aud = clientKey, qsh, 1 h. */
export function signInbound(opts: SignOptions): string {
  const iat = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  return encodeSymmetric(
    {
      iss: opts.clientKey,
      aud: opts.clientKey,
      iat,
      exp: iat + (opts.ttlSeconds ?? 3600),
      qsh: opts.qsh ?? createQueryStringHash(fromMethodAndUrl(opts.method, opts.url)),
      ...opts.extraClaims,
    },
    opts.secret,
  );
}

/** `alg: none`, which must never be accepted. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

export async function postInstalled(bosunUrl: string, body: object, token: string | null, path = '/connect/installed') {
  return fetch(`${bosunUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Installs a fake tenant into a running Bosun, signed correctly. */
export async function installFake(bosunUrl: string, appKey: string, inst: FakeInstallation): Promise<void> {
  const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/installed' });
  const res = await postInstalled(bosunUrl, installedBody(appKey, inst), token);
  if (res.status !== 204) throw new Error(`install failed: ${res.status} ${await res.text()}`);
}
