import type { Request } from 'express';
import { SandboxError } from '../state/sandbox-error';

export interface PageOptions {
  defaultPagelen?: number;
  maxPagelen?: number;
}

/** Bitbucket's page object with absolute next/previous links rebuilt from the API base URL. */
export function paginate<T>(req: Request, apiBaseUrl: string, items: T[], opts: PageOptions = {}): Record<string, unknown> {
  const max = opts.maxPagelen ?? 100;
  const rawPage = req.query.page;
  const rawPagelen = req.query.pagelen;
  const page = rawPage === undefined ? 1 : Number(rawPage);
  const pagelen = rawPagelen === undefined ? (opts.defaultPagelen ?? 10) : Number(rawPagelen);
  if (!Number.isInteger(page) || page < 1) throw new SandboxError(400, 'Invalid page');
  if (!Number.isInteger(pagelen) || pagelen < 1 || pagelen > max) throw new SandboxError(400, `Invalid pagelen: must be between 1 and ${max}`);
  const start = (page - 1) * pagelen;
  if (page > 1 && start >= items.length) throw new SandboxError(400, 'Invalid page');
  const values = items.slice(start, start + pagelen);
  const linkTo = (p: number) => {
    const url = new URL(`${apiBaseUrl}${req.originalUrl}`);
    url.searchParams.set('page', String(p));
    return url.toString();
  };
  return {
    pagelen,
    size: items.length,
    values,
    page,
    ...(start + pagelen < items.length ? { next: linkTo(page + 1) } : {}),
    ...(page > 1 ? { previous: linkTo(page - 1) } : {}),
  };
}
