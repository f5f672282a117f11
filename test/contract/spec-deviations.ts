/**
 * Every way the client's requests or the sandbox's answers are allowed to differ from Atlassian's
 * openapi.json, each with its reason. Keep it minimal: the contract suite fails on any difference
 * not listed here, and on any entry here that no exchange needed any more (a stale deviation).
 * The spec itself is never edited or copied: it is read from ../shared at test time.
 */
import type { BitbucketOperationName } from '../../server/bitbucket';
import type { ContractIssue, IssueLocation } from './check-exchange';

export interface SpecDeviation {
  /** Only for these operations; omitted, for any. */
  operation?: BitbucketOperationName | readonly BitbucketOperationName[];
  /** request/response: a body (instancePath is ajv's JSON pointer); query/path: a parameter (instancePath is its name). */
  where: IssueLocation;
  instancePath: string | RegExp;
  /** The ajv keyword (`type`, `required`, `additionalProperties`…) or ours (`undeclared`, `requestBody`, `contentType`, `status`). */
  keyword?: string;
  reason: string;
}

export const SPEC_DEVIATIONS: readonly SpecDeviation[] = [
  {
    operation: 'source.createCommit',
    where: 'request',
    instancePath: '',
    keyword: 'requestBody',
    reason:
      'POST …/src declares no requestBody and lists message, branch, parents and files as query parameters, while its description ' +
      'says they are form fields of a multipart/form-data or application/x-www-form-urlencoded body, beside one field per file: the ' +
      'client sends that urlencoded body (the checker sees a non-JSON body where no JSON requestBody is declared).',
  },
  // Requests: query parameters.
  {
    where: 'query',
    instancePath: 'pagelen',
    keyword: 'undeclared',
    reason:
      'The client asks for pagelen=50 on every list (server/bitbucket/paginate.ts). Bitbucket documents pagelen for all paginated ' +
      'lists in the REST intro (Pagination) but the spec declares it only on a few operations (pipelines, tasks).',
  },
  {
    operation: 'pullRequests.list',
    where: 'query',
    instancePath: 'fields',
    keyword: 'undeclared',
    reason:
      'fields= (partial responses) applies to every resource per the REST intro; the spec declares it on no operation. ' +
      'PR lists leave out participants and reviewers unless asked for with fields=+values.participants.',
  },
  {
    operation: ['pullRequests.list', 'pullRequests.listComments'],
    where: 'query',
    instancePath: /^(q|sort)$/,
    keyword: 'undeclared',
    reason: 'BBQL q= and sort= work on every paginated list (REST intro, Filtering and sorting); the spec declares them on some lists only, not on these.',
  },
  {
    operation: 'commits.list',
    where: 'query',
    instancePath: /^(include|exclude|path)$/,
    keyword: 'undeclared',
    reason: 'include/exclude (repeatable) and path are documented only in the prose description of GET …/commits, not as parameters.',
  },
  {
    operation: 'pipelines.list',
    where: 'query',
    instancePath: 'sort',
    keyword: 'enum',
    reason:
      'The enum lists ascending fields only; like every sort parameter a "-" prefix sorts descending (Bitbucket accepts sort=-created_on, ' +
      'which Bosun uses to read the newest runs first).',
  },
  {
    operation: 'pullRequests.getDiffstat',
    where: 'query',
    instancePath: 'from_pullrequest_id',
    keyword: 'undeclared',
    reason:
      'GET …/pullrequests/{id}/diffstat answers 302 to …/diffstat/{spec}?from_pullrequest_id=…; the client follows the Location as given, ' +
      'and the spec does not declare that parameter on /diffstat/{spec}.',
  },

  // Requests: bodies.
  {
    where: 'request',
    instancePath: /^(\/reviewers\/\d+|\/comment|\/\d+)?\/type$/,
    keyword: 'required',
    reason:
      'Every schema inherits `type` as required from the spec\'s base `object`, request bodies included; Bitbucket ignores `type` on ' +
      'input and its documented examples omit it, so the client does not send it.',
  },
  {
    operation: ['statuses.updateBuild', 'branchRestrictions.update'],
    where: 'request',
    instancePath: /^\/(key|kind|branch_match_kind|pattern)$/,
    keyword: 'required',
    reason:
      'These PUTs change only the fields given (the docs: fields not present are left as they are; a status key cannot change), ' +
      'but the spec reuses the create schema with its required fields.',
  },
  {
    operation: ['branches.create', 'webhooks.create', 'webhooks.update'],
    where: 'request',
    instancePath: '',
    keyword: 'requestBody',
    reason: 'The spec describes these JSON bodies only in prose (name + target.hash; description, url, active, events, secret) and declares no requestBody.',
  },

  // Responses.
  {
    operation: 'users.listEmails',
    where: 'response',
    instancePath: '/type',
    keyword: 'required',
    reason: 'GET /user/emails declares only a `default` response with the error schema; its 200 is a paginated list of email addresses.',
  },
  {
    operation: 'source.getFile',
    where: 'response',
    instancePath: '',
    keyword: 'contentType',
    reason: 'A file is served raw (text/plain or its own type); the spec\'s 200 only describes the JSON listing of a directory.',
  },
  {
    operation: ['pullRequests.listTasks', 'pullRequests.createTask', 'pullRequests.updateTask'],
    where: 'response',
    instancePath: /^(\/values\/\d+)?\/[a-z_]+$/,
    keyword: 'additionalProperties',
    reason:
      'pullrequest_comment_task is allOf[task, {comment}] with additionalProperties:false on both halves, so no task can satisfy it; ' +
      'test/sandbox checks the body against `task` instead.',
  },
  {
    where: 'response',
    instancePath: '/error/detail',
    keyword: 'type',
    reason:
      'A missing scope answers 403 with error.detail {required[], granted[]} (REFERENCE.md §7, captured traffic); the spec types detail as a string.',
  },
];

/** The index of the first deviation that allows `issue`, or -1. */
export function findDeviation(issue: ContractIssue, deviations: readonly SpecDeviation[] = SPEC_DEVIATIONS): number {
  return deviations.findIndex((d) => {
    if (d.operation !== undefined) {
      const ops: readonly string[] = typeof d.operation === 'string' ? [d.operation] : d.operation;
      if (!ops.includes(issue.operation)) return false;
    }
    if (d.where !== issue.where) return false;
    if (d.keyword !== undefined && d.keyword !== issue.keyword) return false;
    return typeof d.instancePath === 'string' ? d.instancePath === issue.instancePath : d.instancePath.test(issue.instancePath);
  });
}

export function describeDeviation(d: SpecDeviation): string {
  const ops = d.operation === undefined ? 'any operation' : typeof d.operation === 'string' ? d.operation : d.operation.join(', ');
  return `${ops} / ${d.where} ${String(d.instancePath)}${d.keyword ? ` (${d.keyword})` : ''}: ${d.reason}`;
}
