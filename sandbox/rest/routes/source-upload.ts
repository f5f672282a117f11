import type { NextFunction, Request, Response, Router } from 'express';
import { toFullName } from '../../serialize/to-repository';
import { getWorkspaceOf } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import type { RouteKit } from '../route-kit';

/** The form fields `POST …/src` reads as meta data; any other field names a file (openapi.json, the operation's description). */
const META_FIELDS = new Set(['message', 'author', 'parents', 'files', 'branch']);
const MAX_BODY_BYTES = 1_000_000;
/** Bitbucket's canned message for a commit sent without one (the spec says only "a canned string"; unverified). */
const CANNED_MESSAGE = 'Edited online with Bitbucket';

interface SourceForm {
  meta: Map<string, string[]>;
  /** Repository path (no leading slash) → content. */
  files: Map<string, string>;
}

async function readRaw(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SandboxError(413, 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads the body as the spec describes it: multipart/form-data, where a field with a filename is a
 * file whatever its name, or application/x-www-form-urlencoded, where a field is meta data when its
 * name is one of the meta fields without a leading slash and a file otherwise. Path field names are
 * absolute from the repository root, with or without the leading slash.
 */
async function toSourceForm(req: Request): Promise<SourceForm> {
  const type = String(req.headers['content-type'] ?? '');
  const form: SourceForm = { meta: new Map(), files: new Map() };
  const addMeta = (name: string, value: string) => form.meta.set(name, [...(form.meta.get(name) ?? []), value]);
  const toPath = (name: string) => name.replace(/^\/+/, '');
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    for (const [name, value] of new URLSearchParams((await readRaw(req)).toString('utf8'))) {
      if (META_FIELDS.has(name)) addMeta(name, value);
      else form.files.set(toPath(name), value);
    }
    return form;
  }
  if (/^multipart\/form-data\b/i.test(type)) {
    const raw = await readRaw(req);
    // undici's multipart parser (Node's fetch Response), so the sandbox needs no form library.
    const data = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData().catch(() => {
      throw new SandboxError(400, 'Malformed multipart/form-data body.');
    });
    for (const [name, value] of data) {
      if (typeof value === 'string' && META_FIELDS.has(name)) addMeta(name, value);
      else form.files.set(toPath(name), typeof value === 'string' ? value : await value.text());
    }
    return form;
  }
  throw new SandboxError(400, 'Send the files as multipart/form-data or application/x-www-form-urlencoded.');
}

/**
 * `POST /2.0/repositories/{workspace}/{repo_slug}/src`: a commit from uploaded files, on the branch
 * named (the main branch by default), deleting the `files` paths sent without content. Answers
 * 201 with no body as the spec does; the Location header pointing at the new commit is what
 * Bitbucket sends in practice and is not in the spec (unverified). `author` is accepted and not
 * kept: sandbox commits are authored by the caller.
 */
export function mountSourceUploadRoutes(router: Router, kit: RouteKit): void {
  const { ctx, actions } = kit;
  const path = '/repositories/:workspace/:repo_slug/src';
  const parseForm = (req: Request, res: Response, next: NextFunction) => {
    toSourceForm(req).then((form) => {
      res.locals.sourceForm = form;
      next();
    }, next);
  };
  router.post(path, parseForm, kit.guard('repository:write', (req, res, principal) => {
    const form = res.locals.sourceForm as SourceForm;
    const repo = kit.repoOf(req);
    // The spec's 403: "If the authenticated user does not have write or admin access".
    if (principal.kind === 'user' && getWorkspaceOf(kit.state, repo).readOnly?.includes(principal.user.nickname)) {
      throw new SandboxError(403, 'You do not have write access to this repository.');
    }
    const one = (name: string): string | undefined => {
      const values = form.meta.get(name) ?? [];
      if (values.length > 1) throw new SandboxError(400, `The ${name} field cannot be repeated.`);
      return values[0];
    };
    const files: Record<string, string | null> = {};
    for (const listed of form.meta.get('files') ?? []) {
      const p = listed.replace(/^\/+/, '');
      if (!form.files.has(p)) files[p] = null;
    }
    for (const [p, content] of form.files) {
      if (!p || p.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) throw new SandboxError(400, `Invalid path: ${p}`);
      files[p] = content;
    }
    const parent = one('parents');
    const commit = actions.pushCommit({
      workspace: String(req.params.workspace),
      repo: String(req.params.repo_slug),
      branch: one('branch') ?? repo.mainbranch,
      actor: kit.actorOf(principal),
      message: one('message') ?? CANNED_MESSAGE,
      files,
      ...(parent !== undefined ? { parent } : {}),
    });
    res.status(201).location(`${ctx.apiBaseUrl}/2.0/repositories/${toFullName(ctx, repo)}/commit/${commit.hash}`).end();
  }));
}
