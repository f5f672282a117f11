import type { PolicyLayer } from './policy-schema';

/** `workspace` for the workspace defaults, else a repository `{uuid}`. */
export type PolicyScope = 'workspace' | `{${string}}`;

export interface StoredPolicy {
  scope: PolicyScope;
  layer: PolicyLayer;
  updatedBy: string;
  updatedAt: Date;
  /** Bumped on every save; a save naming an older version is refused (two admins editing at once). */
  version: number;
}

/** Saved policy layers, per tenant. Layers are validated before they are stored. */
export interface PolicyStore {
  get(clientKey: string, scope: PolicyScope): Promise<StoredPolicy | null>;
  list(clientKey: string): Promise<StoredPolicy[]>;
  /** Saves when `expectedVersion` is the stored version (0: none yet); else throws PolicyConflictError. */
  save(clientKey: string, scope: PolicyScope, layer: PolicyLayer, updatedBy: string, expectedVersion: number): Promise<StoredPolicy>;
}
