import type { NextFunction, Request, Response } from 'express';

/**
 * Bitbucket's partial responses (`fields=`): `a,b.c` returns only those, `+x` adds a field the
 * resource leaves out by default, `-x` removes one; `*` matches any key at its level, and a path
 * goes through arrays (`values.title` is each value's title).
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#partial-response
 */
export function applyFields(body: unknown, fieldsParam: string | undefined, defaultOmit: readonly string[] = []): unknown {
  const tokens = (fieldsParam ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const includes = tokens.filter((t) => !t.startsWith('+') && !t.startsWith('-'));
  const adds = tokens.filter((t) => t.startsWith('+')).map((t) => t.slice(1));
  const removes = tokens.filter((t) => t.startsWith('-')).map((t) => t.slice(1));
  if (includes.length > 0) return pick(body, [...includes, ...adds].map(split));
  let out = structuredClone(body);
  for (const path of defaultOmit) if (!adds.some((a) => a === path || path.startsWith(`${a}.`))) out = omit(out, split(path));
  for (const path of removes) out = omit(out, split(path));
  return out;
}

const split = (path: string) => path.split('.').filter(Boolean);

function pick(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, paths));
  if (value === null || typeof value !== 'object') return value;
  if (paths.some((p) => p.length === 0)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const below = paths.filter((p) => p[0] === key || p[0] === '*').map((p) => p.slice(1));
    if (below.length > 0) out[key] = pick(child, below);
  }
  return out;
}

function omit(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => omit(v, path));
  if (value === null || typeof value !== 'object' || path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    if (key !== head && head !== '*') continue;
    if (rest.length === 0) delete out[key];
    else out[key] = omit(out[key], rest);
  }
  return out;
}

/** Applies `fields=` (and a route's default omissions, set in res.locals.defaultOmit) to every JSON answer. */
export function partialResponses(req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const fields = typeof req.query.fields === 'string' ? req.query.fields : undefined;
    const omitted = (res.locals.defaultOmit as string[] | undefined) ?? [];
    // Error bodies are never filtered.
    if (res.statusCode >= 400 || (!fields && omitted.length === 0)) return json(body);
    return json(applyFields(body, fields, omitted));
  };
  next();
}
