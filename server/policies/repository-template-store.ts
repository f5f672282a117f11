import type { RepositorySettingChange } from './diff-repository-settings';
import type { RepositoryTemplate } from './repository-template';

export interface StoredRepositoryTemplate {
  template: RepositoryTemplate;
  updatedBy: string;
  updatedAt: Date;
  /** Bumped on every save; a save naming an older version is refused (two admins editing at once). */
  version: number;
}

/** What the last check or apply of a repository against its template found and did. */
export interface TemplateBinding {
  /** `workspace/slug`. */
  fullName: string;
  template: string;
  /** `in-sync`: nothing differs; `drifted`: `pending` lists what differs; `partial`: an apply stopped part-way. */
  status: 'in-sync' | 'drifted' | 'partial';
  /** Changes applied by the last apply (empty after a check). */
  applied: RepositorySettingChange[];
  /** Changes still to make (drift, or what a stopped apply did not reach). */
  pending: RepositorySettingChange[];
  /** Why the last apply stopped, if it did. */
  error: string | null;
  checkedAt: Date;
}

/** Templates and which repository follows which, per tenant. Templates are validated before they are stored. */
export interface RepositoryTemplateStore {
  list(clientKey: string): Promise<StoredRepositoryTemplate[]>;
  get(clientKey: string, name: string): Promise<StoredRepositoryTemplate | null>;
  /** Saves when `expectedVersion` is the stored version (0: none yet); else throws TemplateConflictError. */
  save(clientKey: string, template: RepositoryTemplate, updatedBy: string, expectedVersion: number): Promise<StoredRepositoryTemplate>;
  /** Removes the template and its bindings; false when there was none. */
  delete(clientKey: string, name: string): Promise<boolean>;
  listBindings(clientKey: string, template?: string): Promise<TemplateBinding[]>;
  getBinding(clientKey: string, fullName: string): Promise<TemplateBinding | null>;
  /** One binding per repository: a repository follows one template at a time. */
  ensureBinding(clientKey: string, binding: TemplateBinding): Promise<void>;
}
