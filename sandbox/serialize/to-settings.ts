import { getUserByUuid } from '../state/lookups';
import type { BranchRestriction, Repository, RepositoryWebhook, User } from '../state/types';
import { type ApiContext, toApiUrl, toLink } from './api-context';
import { toUser } from './to-account';
import { toFullName, toRepositorySummary } from './to-repository';

export function toBranchRestriction(ctx: ApiContext, repo: Repository, r: BranchRestriction): Record<string, unknown> {
  return {
    type: 'branchrestriction',
    id: r.id,
    kind: r.kind,
    branch_match_kind: r.branchMatchKind,
    pattern: r.pattern,
    ...(r.branchType ? { branch_type: r.branchType } : {}),
    ...(r.value !== null ? { value: r.value } : {}),
    users: r.userUuids.map((u) => toUser(ctx, getUserByUuid(ctx.state, u))),
    groups: r.groupSlugs.map((slug) => ({ type: 'group', slug, name: slug })),
    links: { self: toLink(toApiUrl(ctx, `/repositories/${toFullName(ctx, repo)}/branch-restrictions/${r.id}`)) },
  };
}

export function toWebhookSubscription(ctx: ApiContext, repo: Repository, h: RepositoryWebhook): Record<string, unknown> {
  return {
    type: 'webhook_subscription',
    uuid: h.uuid,
    url: h.url,
    description: h.description,
    subject_type: 'repository',
    subject: toRepositorySummary(ctx, repo),
    active: h.active,
    created_at: h.createdAt,
    events: h.events,
    secret_set: h.secret !== null,
    links: { self: toLink(toApiUrl(ctx, `/repositories/${toFullName(ctx, repo)}/hooks/${encodeURIComponent(h.uuid)}`)) },
  };
}

export function toEffectiveDefaultReviewer(ctx: ApiContext, user: User): Record<string, unknown> {
  return { type: 'default_reviewer', reviewer_type: 'repository', user: toUser(ctx, user) };
}
