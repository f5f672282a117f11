import { VALUED_RESTRICTION_KINDS, type MergeStrategy, type RepositoryTemplate, type TemplateRestrictionKind, type TemplateWebhook } from './repository-template';

/** A repository's settings as Bitbucket (or the mirror) has them: what a template is compared with. */
export interface RepositorySettings {
  /** `workspace/slug`. */
  fullName: string;
  /** Bitbucket's `{uuid}` when known (the mirror is keyed by it). */
  uuid?: string;
  isPrivate: boolean;
  mainBranch: string | null;
  description: string;
  branchRestrictions: Array<{ id: number; kind: string; pattern: string; value: number | null; users: string[]; groups: string[] }>;
  /** The main branch's strategies; null when unknown (no main branch yet). */
  mergeStrategies: { allowed: string[]; default: string | null } | null;
  /** `{uuid}`s of the repository's own default reviewers. */
  defaultReviewers: string[];
  webhooks: Array<{ uuid: string; description: string; url: string; events: string[]; active: boolean }>;
  /** null when Pipelines' configuration could not be read (not enabled for the workspace). */
  pipelinesEnabled: boolean | null;
}

/**
 * One difference between a template and a repository, and the write that removes it. `manual`
 * changes have no API (merge strategies): they count as drift and are shown, never applied.
 */
export type RepositorySettingChange =
  | { setting: 'isPrivate'; from: boolean; to: boolean }
  | { setting: 'mainBranch'; from: string | null; to: string }
  | { setting: 'description'; from: string; to: string }
  | {
      setting: 'branchRestriction';
      action: 'create' | 'update';
      /** The rule to update; absent for a create. */
      id?: number;
      kind: TemplateRestrictionKind;
      pattern: string;
      from: { value: number | null; users: string[]; groups: string[] } | null;
      to: { value: number | null; users: string[]; groups: string[] };
    }
  | { setting: 'defaultReviewer'; uuid: string }
  | { setting: 'webhook'; action: 'create' | 'update'; uuid?: string; from: TemplateWebhook | null; to: TemplateWebhook }
  | { setting: 'pipelinesEnabled'; from: boolean | null; to: boolean }
  | { setting: 'mergeStrategies'; manual: true; from: { allowed: string[]; default: string | null } | null; to: { allowed: MergeStrategy[]; default: MergeStrategy } };

export interface RepositorySettingsDiff {
  fullName: string;
  template: string;
  changes: RepositorySettingChange[];
  /** Changes Bosun can apply (all but the manual ones). */
  applicable: RepositorySettingChange[];
  /** True when anything differs, manual changes included. */
  drifted: boolean;
}

const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();
const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = sorted(a);
  const y = sorted(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};
/** Bitbucket answers uuids in braces, sometimes in upper case in hand-written templates. */
const uuidKey = (uuid: string) => uuid.toLowerCase();

/**
 * Compares a template with a repository's current settings and lists every change the template
 * asks for, in the order they are best applied (the repository itself, then restrictions,
 * reviewers, webhooks, Pipelines). Pure: an applied change no longer appears, so a re-run of a
 * finished apply finds nothing to do, and one that stopped part-way finds exactly what is left.
 */
export function diffRepositorySettings(template: RepositoryTemplate, current: RepositorySettings): RepositorySettingsDiff {
  const s = template.settings;
  const changes: RepositorySettingChange[] = [];
  if (s.isPrivate !== undefined && s.isPrivate !== current.isPrivate) changes.push({ setting: 'isPrivate', from: current.isPrivate, to: s.isPrivate });
  if (s.mainBranch !== undefined && s.mainBranch !== current.mainBranch) changes.push({ setting: 'mainBranch', from: current.mainBranch, to: s.mainBranch });
  if (s.description !== undefined && s.description !== current.description) changes.push({ setting: 'description', from: current.description, to: s.description });

  for (const want of s.branchRestrictions ?? []) {
    const to = { value: VALUED_RESTRICTION_KINDS.has(want.kind) ? (want.value ?? null) : null, users: sorted(want.users ?? []), groups: sorted(want.groups ?? []) };
    // Bitbucket keeps one rule per kind and pattern; a second one is a duplicate, not a new rule.
    const have = current.branchRestrictions.find((r) => r.kind === want.kind && r.pattern === want.pattern);
    if (!have) {
      changes.push({ setting: 'branchRestriction', action: 'create', kind: want.kind, pattern: want.pattern, from: null, to });
      continue;
    }
    const from = { value: have.value, users: sorted(have.users), groups: sorted(have.groups) };
    const valueDiffers = to.value !== null && from.value !== to.value;
    const usersDiffer = want.users !== undefined && !sameSet(from.users.map(uuidKey), to.users.map(uuidKey));
    const groupsDiffer = want.groups !== undefined && !sameSet(from.groups, to.groups);
    if (valueDiffers || usersDiffer || groupsDiffer) {
      changes.push({ setting: 'branchRestriction', action: 'update', id: have.id, kind: want.kind, pattern: want.pattern, from, to });
    }
  }

  const reviewers = new Set(current.defaultReviewers.map(uuidKey));
  for (const uuid of s.defaultReviewers ?? []) {
    if (!reviewers.has(uuidKey(uuid))) changes.push({ setting: 'defaultReviewer', uuid });
  }

  for (const want of s.webhooks ?? []) {
    const have = current.webhooks.find((w) => w.url === want.url);
    if (!have) {
      changes.push({ setting: 'webhook', action: 'create', from: null, to: want });
      continue;
    }
    const from: TemplateWebhook = { description: have.description, url: have.url, events: sorted(have.events), active: have.active };
    if (have.description !== want.description || have.active !== want.active || !sameSet(have.events, want.events)) {
      changes.push({ setting: 'webhook', action: 'update', uuid: have.uuid, from, to: { ...want, events: sorted(want.events) } });
    }
  }

  if (s.pipelinesEnabled !== undefined && s.pipelinesEnabled !== current.pipelinesEnabled) {
    changes.push({ setting: 'pipelinesEnabled', from: current.pipelinesEnabled, to: s.pipelinesEnabled });
  }

  if (s.mergeStrategies !== undefined && current.mergeStrategies !== null) {
    const have = current.mergeStrategies;
    if (!sameSet(have.allowed, s.mergeStrategies.allowed) || have.default !== s.mergeStrategies.default) {
      changes.push({ setting: 'mergeStrategies', manual: true, from: have, to: s.mergeStrategies });
    }
  }

  const applicable = changes.filter((c) => !('manual' in c));
  return { fullName: current.fullName, template: template.name, changes, applicable, drifted: changes.length > 0 };
}

/** One line per change for previews, audit entries and comment replies. */
export function describeSettingChange(change: RepositorySettingChange): string {
  switch (change.setting) {
    case 'isPrivate':
      return change.to ? 'make the repository private' : 'make the repository public';
    case 'mainBranch':
      return `set the main branch to ${change.to}${change.from ? ` (now ${change.from})` : ''}`;
    case 'description':
      return 'set the description';
    case 'branchRestriction': {
      const value = change.to.value !== null ? ` = ${change.to.value}` : '';
      const was = change.from?.value !== undefined && change.from.value !== null && change.from.value !== change.to.value ? ` (now ${change.from.value})` : '';
      return `${change.action === 'create' ? 'add' : 'update'} branch restriction ${change.kind}${value} on ${change.pattern}${was}`;
    }
    case 'defaultReviewer':
      return `add default reviewer ${change.uuid}`;
    case 'webhook':
      return `${change.action === 'create' ? 'add' : 'update'} webhook ${change.to.url}`;
    case 'pipelinesEnabled':
      return change.to ? 'enable Pipelines' : 'disable Pipelines';
    case 'mergeStrategies':
      return `merge strategies should be ${change.to.allowed.join(', ')} (default ${change.to.default}): change them in the repository's settings`;
  }
}
