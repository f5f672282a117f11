import type { User, Workspace } from '../state/types';
import { type ApiContext, toApiUrl, toHtmlUrl, toLink } from './api-context';

export function toAvatarUrl(ctx: ApiContext, user: User): string {
  return toHtmlUrl(ctx, `/account/${encodeURIComponent(user.nickname)}/avatar/`);
}

/** The `user` account object as it appears nested in PRs, comments and webhooks; app bots are `app_user`. */
export function toUser(ctx: ApiContext, user: User): Record<string, unknown> {
  const id = encodeURIComponent(user.uuid);
  if (user.kind === 'app_user') {
    return {
      display_name: user.displayName,
      links: { avatar: toLink(toAvatarUrl(ctx, user)) },
      type: 'app_user',
      uuid: user.uuid,
      account_id: user.accountId,
      account_status: 'active',
      kind: 'connect_app',
    };
  }
  return {
    display_name: user.displayName,
    links: {
      self: toLink(toApiUrl(ctx, `/users/${id}`)),
      avatar: toLink(toAvatarUrl(ctx, user)),
      html: toLink(toHtmlUrl(ctx, `/${id}/`)),
    },
    type: 'user',
    uuid: user.uuid,
    account_id: user.accountId,
    nickname: user.nickname,
  };
}

/** GET /2.0/user: the full profile. */
export function toUserProfile(ctx: ApiContext, user: User): Record<string, unknown> {
  const base = toUser(ctx, user);
  const id = encodeURIComponent(user.uuid);
  return {
    ...base,
    links: {
      ...(base.links as object),
      repositories: toLink(toApiUrl(ctx, `/repositories/${id}`)),
    },
    created_on: user.createdOn,
    is_staff: false,
    account_status: 'active',
    has_2fa_enabled: false,
    location: null,
  };
}

/** A workspace as the owner of a repository or the `principal` of an install (captures say type "team"). */
export function toTeam(ctx: ApiContext, ws: Workspace): Record<string, unknown> {
  const id = encodeURIComponent(ws.uuid);
  return {
    display_name: ws.name,
    links: {
      self: toLink(toApiUrl(ctx, `/workspaces/${id}`)),
      avatar: toLink(toHtmlUrl(ctx, `/workspaces/${ws.slug}/avatar/`)),
      html: toLink(toHtmlUrl(ctx, `/${id}/`)),
    },
    type: 'team',
    uuid: ws.uuid,
    username: ws.slug,
  };
}

export function toWorkspace(ctx: ApiContext, ws: Workspace): Record<string, unknown> {
  return {
    type: 'workspace',
    uuid: ws.uuid,
    name: ws.name,
    slug: ws.slug,
    is_private: ws.isPrivate,
    links: {
      avatar: toLink(toHtmlUrl(ctx, `/workspaces/${ws.slug}/avatar/`)),
      html: toLink(toHtmlUrl(ctx, `/${ws.slug}/`)),
      self: toLink(toApiUrl(ctx, `/workspaces/${ws.slug}`)),
      members: toLink(toApiUrl(ctx, `/workspaces/${ws.slug}/members`)),
      projects: toLink(toApiUrl(ctx, `/workspaces/${ws.slug}/projects`)),
      repositories: toLink(toApiUrl(ctx, `/repositories/${ws.slug}`)),
    },
    created_on: ws.createdOn,
  };
}
