import type { AuditEntry, AuditEntryInput, ExecutionOutcome } from '../executor/plan';

export interface AuditFilter {
  /** `workspace/repo` */
  repository?: string;
  actorUuid?: string;
  tool?: string;
  outcome?: ExecutionOutcome;
  /** Default 50, at most 200. */
  limit?: number;
  offset?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
}

/** One entry per execution, newest first in lists. Tenant-owned: uninstall purges it. */
export interface AuditStore {
  record(entry: AuditEntryInput): Promise<AuditEntry>;
  get(clientKey: string, id: number): Promise<AuditEntry | null>;
  list(clientKey: string, filter?: AuditFilter): Promise<AuditPage>;
}

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;

export function toPageBounds(filter: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = Math.min(MAX_AUDIT_PAGE, Math.max(1, Math.floor(filter.limit ?? DEFAULT_AUDIT_PAGE)));
  const offset = Math.max(0, Math.floor(filter.offset ?? 0));
  return { limit, offset };
}
