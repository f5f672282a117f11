import { randomBytes } from 'node:crypto';
import type { SandboxLogger } from '../logger';
import type { ApiContext } from '../serialize/api-context';
import { toTeam, toUser } from '../serialize/to-account';
import { toBitbucketDate } from '../state/dates';
import { toBracedUuid } from '../state/ids';
import { getUser, getWorkspace } from '../state/lookups';
import type { ConnectDescriptor, Installation, User, Workspace } from '../state/types';
import { descriptorSchema } from './descriptor-schema';
import { joinAppUrl, signHostJwt } from './sign-jwt';

export class InstallError extends Error {
  readonly code = 'INSTALL_FAILED' as const;
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

export interface InstallerDeps {
  ctx: ApiContext;
  fetch: typeof fetch;
  now: () => Date;
  logger: SandboxLogger;
  /** Deterministic secrets (see SandboxOptions.sharedSecretFor); random by default. */
  sharedSecretFor?: (clientKey: string) => string;
}

export interface Installer {
  fetchDescriptor(descriptorUrl: string): Promise<ConnectDescriptor>;
  install(descriptorUrl: string, opts?: { workspace?: string; actorNickname?: string }): Promise<Installation>;
  uninstall(clientKey: string): Promise<void>;
}

export function toClientKey(ws: Workspace, appKey: string): string {
  return `ari:cloud:bitbucket::app/${ws.uuid}/${appKey}`;
}

/**
 * The bot account Bitbucket gives each installed app: its writes (comments, approvals, statuses…)
 * show the app, not the person who installed it. Stable per clientKey, so reinstalls reuse it.
 */
export function ensureAppUser(state: ApiContext['state'], clientKey: string, descriptor: ConnectDescriptor, createdOn: string): User {
  const uuid = toBracedUuid(`app-user|${clientKey}`);
  let user = state.users.find((u) => u.uuid === uuid);
  if (!user) {
    user = { kind: 'app_user', uuid, accountId: `557058:${uuid.slice(1, -1)}`, nickname: `${descriptor.key}[bot]`, displayName: descriptor.name ?? descriptor.key, email: '', createdOn };
    state.users.push(user);
  } else {
    user.displayName = descriptor.name ?? descriptor.key;
  }
  return user;
}

export function createInstaller({ ctx, fetch, now, logger, sharedSecretFor }: InstallerDeps): Installer {
  const { state } = ctx;

  const fetchDescriptor = async (descriptorUrl: string): Promise<ConnectDescriptor> => {
    let res: Response;
    try {
      res = await fetch(descriptorUrl, { headers: { Accept: 'application/json' } });
    } catch (err) {
      throw new InstallError(`Could not fetch the app descriptor at ${descriptorUrl}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    if (!res.ok) throw new InstallError(`Fetching the app descriptor at ${descriptorUrl} answered ${res.status}`, res.status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new InstallError(`The app descriptor at ${descriptorUrl} is not JSON`);
    }
    const parsed = descriptorSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new InstallError(`The app descriptor at ${descriptorUrl} is invalid: ${issues}`);
    }
    return parsed.data as ConnectDescriptor;
  };

  const toLifecycleBody = (eventType: 'installed' | 'uninstalled', d: ConnectDescriptor, clientKey: string, secret: string | null, ws: Workspace, actor: User) => ({
    productType: 'bitbucket',
    eventType,
    key: d.key,
    clientKey,
    ...(secret ? { sharedSecret: secret } : {}),
    publicKey: 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC-sandbox-unused',
    baseUrl: ctx.publicUrl,
    baseApiUrl: ctx.apiBaseUrl,
    principal: toTeam(ctx, ws),
    user: toUser(ctx, actor),
    actor: { type: 'user', uuid: actor.uuid, account_id: actor.accountId, nickname: actor.nickname, display_name: actor.displayName },
  });

  const postLifecycle = async (d: ConnectDescriptor, path: string, body: object, clientKey: string, signingSecret: string) => {
    const url = joinAppUrl(d.baseUrl, path);
    const jwt = signHostJwt({ method: 'POST', url, appBaseUrl: d.baseUrl, clientKey, sharedSecret: signingSecret, now: now() });
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `JWT ${jwt}` }, body: JSON.stringify(body) });
    } catch (err) {
      throw new InstallError(`POST ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) throw new InstallError(`POST ${url} answered ${res.status}: ${text.slice(0, 500)}`, res.status, text);
  };

  return {
    fetchDescriptor,

    async install(descriptorUrl, opts = {}) {
      const ws = getWorkspace(state, opts.workspace ?? 'acme');
      const actor = getUser(state, opts.actorNickname ?? ws.admins[0] ?? 'alice');
      const descriptor = await fetchDescriptor(descriptorUrl);
      const clientKey = toClientKey(ws, descriptor.key);
      const previous = state.installations.find((i) => i.clientKey === clientKey);
      const sharedSecret = sharedSecretFor?.(clientKey) ?? randomBytes(32).toString('base64url');
      const body = toLifecycleBody('installed', descriptor, clientKey, sharedSecret, ws, actor);
      if (descriptor.lifecycle?.installed) {
        // A reinstall is signed with the secret the app already holds, so it can verify the rotation.
        await postLifecycle(descriptor, descriptor.lifecycle.installed, body, clientKey, previous?.sharedSecret ?? sharedSecret);
      }
      const appUser = ensureAppUser(state, clientKey, descriptor, toBitbucketDate(now()));
      const installation: Installation = {
        clientKey,
        key: descriptor.key,
        workspaceUuid: ws.uuid,
        sharedSecret,
        descriptorUrl,
        descriptor,
        installedByUuid: actor.uuid,
        appUserUuid: appUser.uuid,
        installedOn: toBitbucketDate(now()),
      };
      if (previous) state.installations.splice(state.installations.indexOf(previous), 1, installation);
      else state.installations.push(installation);
      logger.info('app installed', { key: descriptor.key, clientKey, workspace: ws.slug, reinstall: Boolean(previous) });
      return installation;
    },

    async uninstall(clientKey) {
      const inst = state.installations.find((i) => i.clientKey === clientKey);
      if (!inst) throw new InstallError(`No installation with clientKey ${clientKey}`, 404);
      const ws = state.workspaces.find((w) => w.uuid === inst.workspaceUuid);
      const actor = state.users.find((u) => u.uuid === inst.installedByUuid);
      try {
        if (inst.descriptor.lifecycle?.uninstalled && ws && actor) {
          const body = toLifecycleBody('uninstalled', inst.descriptor, clientKey, null, ws, actor);
          await postLifecycle(inst.descriptor, inst.descriptor.lifecycle.uninstalled, body, clientKey, inst.sharedSecret);
        }
      } catch (err) {
        // Bitbucket removes the app whatever the app answers.
        logger.warn('uninstalled callback failed', { clientKey, error: err instanceof Error ? err.message : String(err) });
      } finally {
        state.installations.splice(state.installations.indexOf(inst), 1);
      }
    },
  };
}
