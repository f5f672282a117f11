/**
 * Checks recorded client↔sandbox exchanges against openapi.json: the call is matched to the
 * catalog's spec operation (method + path template), every path and query parameter must be
 * declared there and valid for its schema, the JSON request body must validate against the
 * requestBody schema and the response body against responses[status] (or `default`).
 */
import type { ErrorObject } from 'ajv';
import type { BitbucketEndpoint, BitbucketOperation, BitbucketOperationName } from '../../server/bitbucket';
import type { OpenApiOperation, OpenApiParameter, OpenApiPathItem, OpenApiSpec } from '../helpers/openapi';
import type { RecordedExchange } from './recording-fetch';

export type IssueLocation = 'request' | 'response' | 'query' | 'path';

export interface ContractIssue {
  operation: BitbucketOperationName;
  where: IssueLocation;
  /**
   * JSON pointer into the body (ajv's instancePath; for `required`/`additionalProperties` it ends
   * with the missing or extra property), or the parameter's name for query/path.
   */
  instancePath: string;
  /** ajv keyword, or one of ours: undeclared, requestBody, status, contentType, unmatched. */
  keyword: string;
  message: string;
  /** `GET /repositories/{workspace}/… → 200`, for the report. */
  exchange: string;
}

export interface MatchedExchange {
  exchange: RecordedExchange;
  endpoint: BitbucketEndpoint;
  pathParams: Record<string, string>;
}

const API_PREFIX = '/2.0';

interface CompiledTemplate {
  endpoint: BitbucketEndpoint;
  regex: RegExp;
  names: string[];
  literalLength: number;
}

const templates = new Map<string, CompiledTemplate>();

/** `{name}` matches one encoded segment; the file path of `src/{commit}/{path}` spans several. */
function compileTemplate(endpoint: BitbucketEndpoint): CompiledTemplate {
  const cacheKey = `${endpoint.method} ${endpoint.path}`;
  const cached = templates.get(cacheKey);
  if (cached) return cached;
  const names: string[] = [];
  const source = endpoint.path
    .split(/(\{[^}]+\})/)
    .map((part, index, parts) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return param[1] === 'path' && index === parts.length - 2 ? '(.+)' : '([^/]+)';
    })
    .join('');
  const compiled = {
    endpoint,
    regex: new RegExp(`^${source}/?$`),
    names,
    literalLength: endpoint.path.replace(/\{[^}]+\}/g, '').length,
  };
  templates.set(cacheKey, compiled);
  return compiled;
}

/** Finds the endpoint among `candidates` that this call hits, preferring the most literal template. */
export function findEndpoint(
  candidates: readonly BitbucketEndpoint[],
  method: string,
  apiPath: string,
): { endpoint: BitbucketEndpoint; pathParams: Record<string, string> } | null {
  const hits = candidates
    .filter((c) => c.method === method)
    .map(compileTemplate)
    .map((t) => ({ t, m: t.regex.exec(apiPath) }))
    .filter((h): h is { t: CompiledTemplate; m: RegExpExecArray } => h.m !== null)
    .sort((a, b) => b.t.literalLength - a.t.literalLength);
  const best = hits[0];
  if (!best) return null;
  const pathParams = Object.fromEntries(
    best.t.names.map((name, i) => [name, best.m[i + 1]!.split('/').map(decodeURIComponent).join('/')]),
  );
  return { endpoint: best.t.endpoint, pathParams };
}

/**
 * ajv's instancePath, extended to name the property a `required` or `additionalProperties` error
 * is about (`/reviewers/0/type` rather than `/reviewers/0`), so deviations can be precise.
 */
export function toIssuePath(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const property = error.keyword === 'required' ? params.missingProperty : error.keyword === 'additionalProperties' ? params.additionalProperty : undefined;
  return property === undefined ? error.instancePath : `${error.instancePath}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function describe(exchange: RecordedExchange, endpoint?: BitbucketEndpoint): string {
  const path = endpoint?.path ?? `${exchange.url.pathname}${exchange.url.search}`;
  return `${exchange.method} ${path} → ${exchange.status ?? exchange.error ?? 'no response'}`;
}

/** Query values arrive as strings: coerce them to the parameter's declared scalar type before validating. */
function coerce(value: string, schema: Record<string, unknown> | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function operationOf(spec: OpenApiSpec, endpoint: BitbucketEndpoint): { item: OpenApiPathItem; op: OpenApiOperation } | null {
  const item = spec.doc.paths[endpoint.path];
  const op = item?.[endpoint.method.toLowerCase() as 'get'];
  return item && op ? { item, op } : null;
}

function parametersOf(spec: OpenApiSpec, item: OpenApiPathItem, op: OpenApiOperation): OpenApiParameter[] {
  // Operation-level parameters override path-level ones with the same name and location.
  const all = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => spec.resolve<OpenApiParameter>(p));
  const byKey = new Map(all.map((p) => [`${p.in}:${p.name}`, p]));
  return [...byKey.values()];
}

function jsonSchemaOf(content: Record<string, { schema?: Record<string, unknown> }> | undefined): Record<string, unknown> | null {
  if (!content) return null;
  const key = Object.keys(content).find((type) => /[/+]json\b/i.test(type));
  return key ? (content[key]!.schema ?? null) : null;
}

/**
 * Checks the exchanges one scenario recorded for `operation`. Calls that follow a 3xx are matched
 * against every path of the spec (a redirect may lead outside the operation's own endpoints).
 */
export function checkExchanges(spec: OpenApiSpec, operation: BitbucketOperation, exchanges: readonly RecordedExchange[]): {
  issues: ContractIssue[];
  matched: MatchedExchange[];
} {
  const issues: ContractIssue[] = [];
  const matched: MatchedExchange[] = [];
  const own: BitbucketEndpoint[] = [{ method: operation.method, path: operation.path }, ...(operation.also ?? [])];
  const everySpecEndpoint = (): BitbucketEndpoint[] =>
    Object.entries(spec.doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'delete'] as const).filter((m) => item[m]).map((m) => ({ method: m.toUpperCase() as BitbucketEndpoint['method'], path })),
    );
  let previous: RecordedExchange | null = null;

  for (const exchange of exchanges) {
    const issue = (where: IssueLocation, instancePath: string, keyword: string, message: string, endpoint?: BitbucketEndpoint) =>
      issues.push({ operation: operation.name, where, instancePath, keyword, message, exchange: describe(exchange, endpoint) });
    const followsRedirect = previous !== null && previous.status !== null && previous.status >= 300 && previous.status < 400;
    previous = exchange;
    const pathname = exchange.url.pathname;
    if (!pathname.startsWith(`${API_PREFIX}/`)) {
      issue('request', pathname, 'unmatched', 'call outside the REST API root /2.0');
      continue;
    }
    const apiPath = pathname.slice(API_PREFIX.length);
    const found = findEndpoint(own, exchange.method, apiPath) ?? (followsRedirect ? findEndpoint(everySpecEndpoint(), exchange.method, apiPath) : null);
    if (!found) {
      issue('request', apiPath, 'unmatched', `no endpoint of ${operation.name} (${own.map((e) => `${e.method} ${e.path}`).join(', ')}) matches this call`);
      continue;
    }
    const { endpoint, pathParams } = found;
    matched.push({ exchange, endpoint, pathParams });
    const specOp = operationOf(spec, endpoint);
    if (!specOp) {
      issue('request', endpoint.path, 'unmatched', 'openapi.json has no such operation', endpoint);
      continue;
    }
    const params = parametersOf(spec, specOp.item, specOp.op);
    const paramErrors = (where: 'path' | 'query', name: string, value: unknown, errors: ErrorObject[]) => {
      for (const e of errors) issue(where, name, e.keyword, `${name}=${JSON.stringify(value)}: ${e.message ?? ''} ${JSON.stringify(e.params)}`, endpoint);
    };
    const bodyErrors = (where: 'request' | 'response', errors: ErrorObject[]) => {
      for (const e of errors) issue(where, toIssuePath(e), e.keyword, `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`, endpoint);
    };

    // Path parameters: declared, and valid for their schema.
    for (const [name, value] of Object.entries(pathParams)) {
      const declared = params.find((p) => p.in === 'path' && p.name === name);
      if (!declared) issue('path', name, 'undeclared', `path parameter {${name}} is not declared`, endpoint);
      else if (declared.schema) paramErrors('path', name, value, spec.validateSchema(declared.schema, coerce(value, declared.schema)));
    }
    // Query parameters: every name declared, every value valid; required ones present.
    const names = [...new Set(exchange.url.searchParams.keys())];
    for (const name of names) {
      const declared = params.find((p) => p.in === 'query' && p.name === name);
      if (!declared) {
        issue('query', name, 'undeclared', `query parameter ${name}=${exchange.url.searchParams.getAll(name).join(',')} is not declared`, endpoint);
        continue;
      }
      const schema = declared.schema ? spec.resolve<Record<string, unknown>>(declared.schema) : undefined;
      if (!schema) continue;
      const values = exchange.url.searchParams.getAll(name);
      if (schema.type === 'array') {
        const items = spec.resolve<Record<string, unknown> | undefined>(schema.items as Record<string, unknown> | undefined);
        paramErrors('query', name, values, spec.validateSchema(declared.schema!, values.map((v) => coerce(v, items))));
      } else {
        for (const value of values) paramErrors('query', name, value, spec.validateSchema(declared.schema!, coerce(value, schema)));
      }
    }
    for (const p of params) {
      if (p.in === 'query' && p.required && !exchange.url.searchParams.has(p.name)) {
        issue('query', p.name, 'required', `required query parameter ${p.name} is missing`, endpoint);
      }
    }

    // Request body.
    const requestBody = specOp.op.requestBody ? spec.resolve(specOp.op.requestBody) : undefined;
    if (exchange.requestBody !== undefined) {
      const schema = jsonSchemaOf(requestBody?.content);
      if (!schema) issue('request', '', 'requestBody', 'a JSON body was sent but the operation declares no JSON requestBody', endpoint);
      else bodyErrors('request', spec.validateSchema(schema, exchange.requestBody));
    } else if (requestBody?.required) {
      issue('request', '', 'requestBody', 'the operation requires a body and none was sent', endpoint);
    }

    // Response.
    if (exchange.status === null) continue;
    const responses = specOp.op.responses ?? {};
    const rawEntry = responses[String(exchange.status)] ?? responses[`${String(exchange.status)[0]}XX`] ?? responses.default;
    if (!rawEntry) {
      issue('response', '', 'status', `status ${exchange.status} is not declared (declared: ${Object.keys(responses).join(', ')})`, endpoint);
      continue;
    }
    const entry = spec.resolve(rawEntry);
    const schema = jsonSchemaOf(entry.content);
    const hasBody = exchange.responseBody !== undefined;
    if (schema === null) {
      // No JSON schema to check against: only a declared non-JSON type can be checked, and only loosely.
      if (hasBody && entry.content && !exchange.isJson && exchange.contentType !== null) {
        const declared = Object.keys(entry.content);
        const base = exchange.contentType.split(';')[0]!.trim();
        if (!declared.some((t) => t === base || t === '*/*')) {
          issue('response', '', 'contentType', `answered ${base}, declared ${declared.join(', ')}`, endpoint);
        }
      }
      continue;
    }
    if (!hasBody) {
      issue('response', '', 'contentType', `empty body where a JSON ${JSON.stringify(schema).slice(0, 80)} is declared`, endpoint);
      continue;
    }
    if (!exchange.isJson) {
      issue('response', '', 'contentType', `answered ${exchange.contentType ?? 'no content type'} where only JSON is declared`, endpoint);
      continue;
    }
    bodyErrors('response', spec.validateSchema(schema, exchange.responseBody));
  }
  return { issues, matched };
}
