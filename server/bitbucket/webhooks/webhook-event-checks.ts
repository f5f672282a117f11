/**
 * The webhook event schemas (webhook-event-schemas.ts) as plain predicates, for the intake's hot
 * path: each answers true exactly when its zod schema accepts the data (test/server/bitbucket/
 * webhook-event-checks.test.ts holds them to that on mutated payloads). In the server, zod's
 * generic parse shares its code across every schema of the process and builds a stripped copy of
 * the payload: ~35 of ~1,560 profile-us per delivery under bench/webhook-intake.ts, for a parse
 * whose output the intake reads four fields of. A payload these refuse is parsed by zod after all,
 * which words the error (or, should the two ever disagree, has the last word).
 */
import type { WebhookEventKey } from './webhook-event-schemas';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isOptionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';
const isNullishString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
/** zod's z.number().int(): a safe integer. */
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

function isActor(v: unknown): boolean {
  return isObject(v) && isString(v.type) && isOptionalString(v.uuid) && isOptionalString(v.account_id) && isOptionalString(v.display_name) && isOptionalString(v.nickname);
}

function isRepository(v: unknown): boolean {
  if (!isObject(v) || v.type !== 'repository' || !isString(v.uuid) || !isString(v.full_name) || !isOptionalString(v.name)) return false;
  const links = v.links;
  if (links === undefined) return true;
  if (!isObject(links)) return false;
  return links.html === undefined || (isObject(links.html) && isString(links.html.href));
}

function isEndpoint(v: unknown): boolean {
  if (!isObject(v)) return false;
  const { branch, commit } = v;
  return (branch === undefined || branch === null || (isObject(branch) && isString(branch.name))) && (commit === undefined || commit === null || (isObject(commit) && isString(commit.hash)));
}

function isParticipant(v: unknown): boolean {
  return isObject(v) && isString(v.role) && typeof v.approved === 'boolean' && isNullishString(v.state) && isActor(v.user);
}

function everyOf(v: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v as unknown[]) if (!check(item)) return false;
  return true;
}

const PULL_REQUEST_STATES: ReadonlySet<unknown> = new Set(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);
const COMMIT_STATUS_STATES: ReadonlySet<unknown> = new Set(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']);

function isPullRequest(v: unknown, withReviewers: boolean): boolean {
  return (
    isObject(v) &&
    v.type === 'pullrequest' &&
    isInt(v.id) &&
    isString(v.title) &&
    PULL_REQUEST_STATES.has(v.state) &&
    (v.author === undefined || isActor(v.author)) &&
    isEndpoint(v.source) &&
    isEndpoint(v.destination) &&
    (v.participants === undefined || everyOf(v.participants, isParticipant)) &&
    (!withReviewers || v.reviewers === undefined || everyOf(v.reviewers, isActor))
  );
}

function isPushRef(v: unknown): boolean {
  return v === undefined || v === null || (isObject(v) && isString(v.type) && isString(v.name));
}

function isPushChange(v: unknown): boolean {
  return isObject(v) && isPushRef(v.new) && isPushRef(v.old) && typeof v.created === 'boolean' && typeof v.closed === 'boolean' && typeof v.forced === 'boolean';
}

function isCommitStatus(v: unknown): boolean {
  return (
    isObject(v) &&
    isString(v.key) &&
    isString(v.type) &&
    COMMIT_STATUS_STATES.has(v.state) &&
    isNullishString(v.name) &&
    isNullishString(v.url) &&
    isNullishString(v.refname) &&
    isObject(v.commit) &&
    isString(v.commit.hash)
  );
}

const hasBase = (v: Obj): boolean => isActor(v.actor) && isRepository(v.repository);
const isPullRequestEvent = (v: unknown): boolean => isObject(v) && hasBase(v) && isPullRequest(v.pullrequest, false);
const isApprovalEvent = (v: unknown): boolean => isPullRequestEvent(v) && isObject((v as Obj).approval) && isActor(((v as Obj).approval as Obj).user);

/** Event key → whether its schema accepts the (unwrapped) data. */
export const webhookDataChecks: { readonly [K in WebhookEventKey]: (data: unknown) => boolean } = {
  'pullrequest:created': isPullRequestEvent,
  'pullrequest:updated': isPullRequestEvent,
  'pullrequest:approved': isApprovalEvent,
  'pullrequest:unapproved': isApprovalEvent,
  'pullrequest:changes_request_created': isPullRequestEvent,
  'pullrequest:changes_request_removed': isPullRequestEvent,
  'pullrequest:fulfilled': isPullRequestEvent,
  'pullrequest:rejected': isPullRequestEvent,
  'pullrequest:comment_created': (v) => {
    if (!isObject(v) || !hasBase(v) || !isPullRequest(v.pullrequest, true)) return false;
    const comment = v.comment;
    return isObject(comment) && isInt(comment.id) && isObject(comment.content) && isString(comment.content.raw) && (comment.user === undefined || isActor(comment.user));
  },
  'repo:push': (v) => isObject(v) && hasBase(v) && isObject(v.push) && everyOf(v.push.changes, isPushChange),
  'repo:commit_status_created': (v) => isObject(v) && hasBase(v) && isCommitStatus(v.commit_status),
  'repo:commit_status_updated': (v) => isObject(v) && hasBase(v) && isCommitStatus(v.commit_status),
};
