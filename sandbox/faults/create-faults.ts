import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { toGlobRegExp } from '../state/glob';

/**
 * One injected failure. `pathPattern`: a RegExp, a string "/…/flags" read as a regex, or a glob
 * (`*` within a segment, `**` across) matched against the path without query. Applied in order:
 * latency, then drop (destroy the socket) or status (Bitbucket error body). `times` counts
 * matching requests before the fault removes itself (default: forever).
 */
export interface FaultSpec {
  method?: string;
  pathPattern: RegExp | string;
  status?: number;
  latencyMs?: number;
  drop?: boolean;
  times?: number;
}

export interface Fault extends Omit<FaultSpec, 'pathPattern'> {
  id: number;
  pathPattern: string;
  hits: number;
}

export interface Faults {
  add(spec: FaultSpec): Fault;
  remove(id: number): boolean;
  clear(): void;
  list(): Fault[];
}

interface Entry {
  fault: Fault;
  regex: RegExp;
}

export const faultSpecSchema = z.object({
  method: z.string().min(1).optional(),
  pathPattern: z.string().min(1),
  status: z.number().int().min(100).max(599).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  drop: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
});

export function toPathRegExp(pattern: RegExp | string): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const literal = /^\/(.+)\/([dgimsuy]*)$/.exec(pattern);
  return literal ? new RegExp(literal[1]!, literal[2]) : toGlobRegExp(pattern, true);
}

export function createFaults(): Faults & { middleware: (req: Request, res: Response, next: NextFunction) => void; timers: Set<NodeJS.Timeout> } {
  const entries: Entry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 1;

  const take = (req: Request): Fault | null => {
    const entry = entries.find(({ fault, regex }) => (!fault.method || fault.method.toUpperCase() === req.method) && regex.test(req.path));
    if (!entry) return null;
    entry.fault.hits++;
    if (entry.fault.times !== undefined && entry.fault.hits >= entry.fault.times) entries.splice(entries.indexOf(entry), 1);
    return entry.fault;
  };

  const apply = (fault: Fault, req: Request, res: Response, next: NextFunction) => {
    if (fault.drop) return req.socket.destroy();
    if (fault.status !== undefined) {
      if (fault.status === 429) res.set('Retry-After', '1');
      return res.status(fault.status).json({ type: 'error', error: { message: `Injected fault: ${fault.status} for ${req.method} ${req.path}` } });
    }
    next();
  };

  return {
    timers,
    add(spec) {
      const fault: Fault = { ...spec, id: nextId++, pathPattern: String(spec.pathPattern), hits: 0 };
      entries.push({ fault, regex: toPathRegExp(spec.pathPattern) });
      return fault;
    },
    remove(id) {
      const i = entries.findIndex((e) => e.fault.id === id);
      if (i >= 0) entries.splice(i, 1);
      return i >= 0;
    },
    clear: () => void entries.splice(0),
    list: () => entries.map((e) => ({ ...e.fault })),
    middleware(req, res, next) {
      if (req.path.startsWith('/_sandbox/')) return next();
      const fault = take(req);
      if (!fault) return next();
      if (!fault.latencyMs) return apply(fault, req, res, next);
      const t = setTimeout(() => {
        timers.delete(t);
        apply(fault, req, res, next);
      }, fault.latencyMs);
      timers.add(t);
    },
  };
}

/** POST /_sandbox/faults (one spec or an array), GET lists, DELETE clears, DELETE /:id removes one. */
export function createFaultsRouter(faults: Faults): Router {
  const router = express.Router();
  router.get('/_sandbox/faults', (_req, res) => {
    res.json({ values: faults.list() });
  });
  router.post('/_sandbox/faults', express.json(), (req, res) => {
    const parsed = z.union([faultSpecSchema, z.array(faultSpecSchema)]).safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ type: 'error', error: { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const specs = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    try {
      specs.forEach((s) => toPathRegExp(s.pathPattern));
    } catch (err) {
      res.status(400).json({ type: 'error', error: { message: `pathPattern: ${err instanceof Error ? err.message : String(err)}` } });
      return;
    }
    res.status(201).json({ values: specs.map((s) => faults.add(s)) });
  });
  router.delete('/_sandbox/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.delete('/_sandbox/faults/:id', (req, res) => {
    if (faults.remove(Number(req.params.id))) res.status(204).end();
    else res.status(404).json({ type: 'error', error: { message: `No fault ${String(req.params.id)}` } });
  });
  return router;
}
