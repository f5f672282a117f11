import { encodeSymmetric } from 'atlassian-jwt';
import type { Installation, PullRequest, Repository, User, Workspace } from '../state/types';
import { toShortHash } from '../state/ids';
import { hasScope } from './scopes';
import { joinAppUrl, toQsh } from './sign-jwt';

export interface IframeContext {
  workspace: Workspace;
  repository?: Repository;
  /** full_name is not derivable from Repository alone */
  repositoryFullName?: string;
  pullrequest?: PullRequest;
  user?: User;
  targetUser?: User;
}

export interface IframeUrlInput {
  installation: Installation;
  moduleUrl: string;
  context: IframeContext;
  /** The host page origin, sent as xdm_e so all.js knows where to postMessage. */
  hostOrigin: string;
  channelId: string;
  now: Date;
}

const ROOT_SCOPE: Record<string, string> = { user: 'account', target_user: 'account', workspace: 'account', repository: 'repository', pullrequest: 'pullrequest' };

function toContextValues(ctx: IframeContext): Record<string, string | undefined> {
  return {
    'user.uuid': ctx.user?.uuid,
    'user.account_id': ctx.user?.accountId,
    'user.nickname': ctx.user?.nickname,
    'target_user.uuid': ctx.targetUser?.uuid,
    'target_user.account_id': ctx.targetUser?.accountId,
    'workspace.slug': ctx.workspace.slug,
    'workspace.uuid': ctx.workspace.uuid,
    'repository.uuid': ctx.repository?.uuid,
    'repository.slug': ctx.repository?.slug,
    'repository.name': ctx.repository?.name,
    'repository.full_name': ctx.repositoryFullName,
    'pullrequest.id': ctx.pullrequest ? String(ctx.pullrequest.id) : undefined,
    'pullrequest.title': ctx.pullrequest?.title,
    'pullrequest.source.commit.hash': ctx.pullrequest ? toShortHash(ctx.pullrequest.source.hash) : undefined,
    'pullrequest.destination.commit.hash': ctx.pullrequest ? toShortHash(ctx.pullrequest.destination.hash) : undefined,
    'pullrequest.source.branch.name': ctx.pullrequest?.source.branch,
    'pullrequest.destination.branch.name': ctx.pullrequest?.destination.branch,
  };
}

/**
 * Substitutes `{root.path}` context parameters: URL-encoded values (uuids keep their braces, encoded);
 * a root whose scope the app lacks, or an unknown parameter, becomes empty.
 */
export function substituteContext(template: string, ctx: IframeContext, scopes: readonly string[]): string {
  const values = toContextValues(ctx);
  return template.replace(/\{([a-z_]+(?:\.[a-z_]+)+)\}/gi, (_m, name: string) => {
    const root = name.split('.')[0]!;
    const scope = ROOT_SCOPE[root];
    if (!scope || !hasScope(scopes, scope)) return '';
    const v = values[name];
    return v === undefined ? '' : encodeURIComponent(v);
  });
}

/** The iframe src Bitbucket builds: baseUrl + module url (substituted) + xdm_e + xdm_c + jwt. */
export function buildIframeUrl(input: IframeUrlInput): string {
  const { installation, context } = input;
  const d = installation.descriptor;
  const url = new URL(joinAppUrl(d.baseUrl, substituteContext(input.moduleUrl, context, d.scopes ?? [])));
  url.searchParams.append('xdm_e', input.hostOrigin);
  url.searchParams.append('xdm_c', input.channelId);
  const iat = Math.floor(input.now.getTime() / 1000);
  const jwt = encodeSymmetric(
    { iss: installation.clientKey, aud: installation.clientKey, iat, exp: iat + 3600, qsh: toQsh('GET', url.toString(), d.baseUrl) },
    installation.sharedSecret,
  );
  url.searchParams.append('jwt', jwt);
  return url.toString();
}
