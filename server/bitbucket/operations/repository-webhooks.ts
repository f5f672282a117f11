import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import { webhookSubscriptionSchema, type WebhookSubscription } from '../schemas/webhook-subscription';

export interface RepositoryWebhookInput {
  description: string;
  /** Must resolve publicly: Bitbucket refuses internal addresses. */
  url: string;
  active: boolean;
  /** Event keys, e.g. `pullrequest:fulfilled`; needs the scopes of those events as well as `webhook`. */
  events: string[];
  /** HMAC key for `X-Hub-Signature`. Omitted: none on create, unchanged on update; null removes it. */
  secret?: string | null;
}

export interface RepositoryWebhooksOperations {
  /** `GET …/hooks`, all pages up to `max`. */
  list(workspace: string, repoSlug: string, options?: PaginateOptions): Promise<WebhookSubscription[]>;
  /** `POST …/hooks` (not retried once sent: a repeat would register a second hook). */
  create(workspace: string, repoSlug: string, input: RepositoryWebhookInput): Promise<WebhookSubscription>;
  /** `GET …/hooks/{uid}`; `uid` is the hook's `{uuid}`. */
  get(workspace: string, repoSlug: string, uid: string): Promise<WebhookSubscription>;
  /** `PUT …/hooks/{uid}`: description, url, secret, active and events may change. */
  update(workspace: string, repoSlug: string, uid: string, input: Partial<RepositoryWebhookInput>): Promise<WebhookSubscription>;
  /** `DELETE …/hooks/{uid}`. */
  delete(workspace: string, repoSlug: string, uid: string): Promise<void>;
}

/** Builds the `webhooks` group of the client (repository webhooks, not the Connect app's own). */
export function createRepositoryWebhooksOperations(http: HttpTransport): RepositoryWebhooksOperations {
  const listPath = (workspace: string, repoSlug: string) => `${toRepositoryPath(workspace, repoSlug)}/hooks`;
  const hookPath = (workspace: string, repoSlug: string, uid: string) =>
    `${listPath(workspace, repoSlug)}/${toPathSegment(uid, 'webhook uid')}`;
  return {
    list: async (workspace, repoSlug, options) =>
      paginate(http, { path: listPath(workspace, repoSlug) }, webhookSubscriptionSchema, options),
    create: async (workspace, repoSlug, input) =>
      http.sendJson({ method: 'POST', path: listPath(workspace, repoSlug), body: input }, webhookSubscriptionSchema),
    get: async (workspace, repoSlug, uid) =>
      http.sendJson({ method: 'GET', path: hookPath(workspace, repoSlug, uid) }, webhookSubscriptionSchema),
    update: async (workspace, repoSlug, uid, input) =>
      http.sendJson({ method: 'PUT', path: hookPath(workspace, repoSlug, uid), body: input }, webhookSubscriptionSchema),
    delete: async (workspace, repoSlug, uid) => {
      await http.send({ method: 'DELETE', path: hookPath(workspace, repoSlug, uid) });
    },
  };
}
