import type { AuditEntry, AuditEntryInput, ExecutionOutcome } from '../executor/plan';

export interface AuditFilter {
  /** `workspace/slug`, a slug alone (any workspace), or a repository's `{uuid}` (braces optional); any case. */
  repository?: string;
  /** Exactly this `{uuid}`. */
  actorUuid?: string;
  /** A person by uuid, account id, nickname (with or without @), display name or one word of it; any case. */
  actor?: string;
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

/** What a store writes: the entry, and the `{uuid}`s of its repositories (kept for filters, not shown). */
export interface AuditRecordInput extends AuditEntryInput {
  repositoryUuids?: string[];
}

/** One entry per execution, newest first in lists. Tenant-owned: uninstall purges it. */
export interface AuditStore {
  record(entry: AuditRecordInput): Promise<AuditEntry>;
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
