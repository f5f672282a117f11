import type { ApiIssue } from '../api/api-error';

/** A tri-state setting: `''` is "not managed" (the template neither checks nor changes it). */
export type Managed<T extends string> = '' | T;

export interface RestrictionDraft {
  kind: string;
  pattern: string;
  /** Text as typed; only kinds that take a number send it. */
  value: string;
}

export interface WebhookDraft {
  description: string;
  url: string;
  /** Comma- or space-separated event keys. */
  events: string;
  active: boolean;
}

/** The editor's form state: strings as typed, turned into a template only on save. */
export interface TemplateDraft {
  name: string;
  summary: string;
  isPrivate: Managed<'private' | 'public'>;
  mainBranch: string;
  /** null: not managed. */
  description: string | null;
  readme: string | null;
  pipelinesEnabled: Managed<'enabled' | 'disabled'>;
  /** One `{uuid}` per line; empty: not managed. */
  defaultReviewers: string;
  branchRestrictions: RestrictionDraft[];
  webhooks: WebhookDraft[];
  /** No strategy ticked: not managed. */
  mergeStrategies: { allowed: string[]; default: string };
}

export const EMPTY_TEMPLATE_DRAFT: TemplateDraft = {
  name: '',
  summary: '',
  isPrivate: '',
  mainBranch: '',
  description: null,
  readme: null,
  pipelinesEnabled: '',
  defaultReviewers: '',
  branchRestrictions: [],
  webhooks: [],
  mergeStrategies: { allowed: [], default: '' },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A stored template (as the API lists it) in the editor's terms. */
export const toTemplateDraft = (template: unknown): TemplateDraft => {
  if (!isRecord(template)) return EMPTY_TEMPLATE_DRAFT;
  const s = isRecord(template.settings) ? template.settings : {};
  const merge = isRecord(s.mergeStrategies) ? s.mergeStrategies : null;
  return {
    name: str(template.name),
    summary: str(template.summary),
    isPrivate: s.isPrivate === true ? 'private' : s.isPrivate === false ? 'public' : '',
    mainBranch: str(s.mainBranch),
    description: typeof s.description === 'string' ? s.description : null,
    readme: typeof s.readme === 'string' ? s.readme : null,
    pipelinesEnabled: s.pipelinesEnabled === true ? 'enabled' : s.pipelinesEnabled === false ? 'disabled' : '',
    defaultReviewers: strings(s.defaultReviewers).join('\n'),
    branchRestrictions: (Array.isArray(s.branchRestrictions) ? s.branchRestrictions : []).filter(isRecord).map((r) => ({ kind: str(r.kind), pattern: str(r.pattern), value: str(r.value) })),
    webhooks: (Array.isArray(s.webhooks) ? s.webhooks : []).filter(isRecord).map((w) => ({
      description: str(w.description), url: str(w.url), events: strings(w.events).join(', '), active: w.active !== false,
    })),
    mergeStrategies: merge ? { allowed: strings(merge.allowed), default: str(merge.default) } : { allowed: [], default: '' },
  };
};

const toNumber = (text: string): number | string => {
  const trimmed = text.trim();
  // Sent as typed when it is not a whole number: the server names the field and the problem.
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

/**
 * The template the server validates. Nothing is checked here beyond shape: the server's schema is the
 * one judge, and its issues come back by field. Empty fields are left out (not managed).
 */
export const toTemplateBody = (draft: TemplateDraft, valuedKinds: readonly string[]): Record<string, unknown> => {
  const settings: Record<string, unknown> = {};
  if (draft.isPrivate !== '') settings.isPrivate = draft.isPrivate === 'private';
  if (draft.mainBranch.trim() !== '') settings.mainBranch = draft.mainBranch.trim();
  if (draft.description !== null) settings.description = draft.description;
  if (draft.readme !== null) settings.readme = draft.readme;
  if (draft.pipelinesEnabled !== '') settings.pipelinesEnabled = draft.pipelinesEnabled === 'enabled';
  const reviewers = draft.defaultReviewers.split(/[\s,]+/).filter((r) => r !== '');
  if (reviewers.length > 0) settings.defaultReviewers = reviewers;
  if (draft.branchRestrictions.length > 0) {
    settings.branchRestrictions = draft.branchRestrictions.map((r) => ({
      kind: r.kind,
      pattern: r.pattern.trim(),
      ...(valuedKinds.includes(r.kind) || r.value.trim() !== '' ? { value: toNumber(r.value) } : {}),
    }));
  }
  if (draft.webhooks.length > 0) {
    settings.webhooks = draft.webhooks.map((w) => ({
      description: w.description.trim(), url: w.url.trim(), events: w.events.split(/[\s,]+/).filter((e) => e !== ''), active: w.active,
    }));
  }
  if (draft.mergeStrategies.allowed.length > 0) settings.mergeStrategies = { allowed: draft.mergeStrategies.allowed, default: draft.mergeStrategies.default };
  return { name: draft.name.trim(), summary: draft.summary, settings };
};

/**
 * The issues about one field: its own path and everything under it (`settings.webhooks.0` holds
 * `settings.webhooks.0.url`). A field shows these beside itself.
 */
export const issuesAt = (issues: readonly ApiIssue[], path: string): string[] =>
  issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i) => (i.path === path ? i.message : `${i.path.slice(path.length + 1)}: ${i.message}`));

/** Paths the form shows somewhere; an issue elsewhere is listed at the top so none is lost. */
export const isShownIssue = (path: string): boolean =>
  /^(name|summary|settings\.(isPrivate|mainBranch|description|readme|pipelinesEnabled|defaultReviewers|branchRestrictions|webhooks|mergeStrategies))(\.|$)/.test(path);
