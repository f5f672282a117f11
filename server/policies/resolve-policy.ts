import type { ReadinessPolicy } from '../rules';
import { DEFAULT_POLICY, policyLayerSchema, type EffectivePolicy, type PolicyLayer } from './policy-schema';

export type PolicySource = 'workspace' | 'repository' | 'bosun.yml';

export interface PolicyLayerInput {
  source: PolicySource;
  /** Parsed data (JSON from storage, or what the bosun.yml parser produced); null/undefined: no such layer. */
  data: unknown;
}

export interface PolicyIssue {
  source: PolicySource;
  /** Dotted path into the layer, e.g. `reviewers.owners.0.paths`; empty for the whole layer. */
  path: string;
  message: string;
}

export interface ResolvedPolicy {
  policy: EffectivePolicy;
  /** The layers that were applied, in order. An invalid layer is never applied in part. */
  applied: PolicySource[];
  issues: PolicyIssue[];
}

export type LayerCheck = { ok: true; layer: PolicyLayer } | { ok: false; issues: PolicyIssue[] };

/** Validates one layer; every problem is listed with its path. */
export function checkPolicyLayer(source: PolicySource, data: unknown): LayerCheck {
  // read-bosun-file marks a file the YAML parser refused: say so, not "unrecognized key".
  if (data !== null && typeof data === 'object' && '__unparsable__' in data) {
    return { ok: false, issues: [{ source, path: '', message: `not valid YAML: ${String((data as { __unparsable__: unknown }).__unparsable__)}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ source, path: '', message: 'must be a mapping of policy sections' }] };
  }
  const parsed = policyLayerSchema.safeParse(data);
  if (parsed.success) return { ok: true, layer: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ source, path: i.path.map(String).join('.'), message: i.message })) };
}

/**
 * Workspace defaults, then the repository's override, then the destination branch's bosun.yml:
 * each later layer replaces the fields it sets (lists replace, groups merge by name). A layer that
 * fails the schema is skipped whole and reported, so nothing runs on half a policy.
 */
export function resolvePolicy(layers: readonly PolicyLayerInput[]): ResolvedPolicy {
  let policy = structuredClone(DEFAULT_POLICY);
  const applied: PolicySource[] = [];
  const issues: PolicyIssue[] = [];
  for (const { source, data } of layers) {
    if (data === null || data === undefined) continue;
    const check = checkPolicyLayer(source, data);
    if (!check.ok) {
      issues.push(...check.issues);
      continue;
    }
    const unknownGroups = findUnknownGroups(check.layer, { ...policy.groups, ...check.layer.groups });
    if (unknownGroups.length > 0) {
      issues.push(...unknownGroups.map((path) => ({ source, path, message: 'names a group this policy does not define' })));
      continue;
    }
    policy = applyLayer(policy, check.layer);
    applied.push(source);
  }
  return { policy, applied, issues };
}

function applyLayer(base: EffectivePolicy, layer: PolicyLayer): EffectivePolicy {
  const pick = <T extends object>(section: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(section ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    groups: { ...base.groups, ...layer.groups },
    readiness: { ...base.readiness, ...pick(layer.readiness) },
    reviewers: { ...base.reviewers, ...pick(layer.reviewers) },
    botPullRequests: { ...base.botPullRequests, ...pick(layer.botPullRequests) },
    stale: { ...base.stale, ...pick(layer.stale) },
    description: { ...base.description, ...pick(layer.description) },
    mergeQueue: { ...base.mergeQueue, ...pick(layer.mergeQueue) },
    buildFailures: { ...base.buildFailures, ...pick(layer.buildFailures) },
  };
}

function findUnknownGroups(layer: PolicyLayer, groups: Record<string, string[]>): string[] {
  const paths: string[] = [];
  const check = (refs: readonly string[] | undefined, at: string) =>
    (refs ?? []).forEach((r, k) => {
      if (r.startsWith('group:') && !(r.slice(6) in groups)) paths.push(`${at}.${k}`);
    });
  layer.reviewers?.owners?.forEach((o, k) => check(o.reviewers, `reviewers.owners.${k}.reviewers`));
  layer.botPullRequests?.rules?.forEach((r, k) => check(r.reviewers, `botPullRequests.rules.${k}.reviewers`));
  return paths;
}

/** The readiness oracle's view of a policy. */
export function toReadinessPolicy(policy: EffectivePolicy): ReadinessPolicy {
  return {
    titlePattern: policy.readiness.titlePattern,
    allowedTargetBranches: policy.readiness.allowedTargetBranches,
    freezeWindows: policy.readiness.freezeWindows,
    requireBuilds: policy.readiness.requireBuilds,
  };
}

/** The `bosun/config` commit status for a PR whose policy had problems: FAILED naming the first ones (≤ 255 chars). */
export function toConfigStatus(resolved: ResolvedPolicy): { key: 'bosun/config'; state: 'SUCCESSFUL' | 'FAILED'; description: string } {
  if (resolved.issues.length === 0) return { key: 'bosun/config', state: 'SUCCESSFUL', description: `Policy applied (${resolved.applied.join(', ') || 'defaults'}).` };
  const first = resolved.issues.slice(0, 3).map((i) => `${i.source}${i.path ? ` ${i.path}` : ''}: ${i.message}`);
  const more = resolved.issues.length > 3 ? ` (+${resolved.issues.length - 3} more)` : '';
  return { key: 'bosun/config', state: 'FAILED', description: `Invalid policy ignored: ${first.join('; ')}${more}`.slice(0, 255) };
}
