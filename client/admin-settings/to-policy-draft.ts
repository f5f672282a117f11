export const POLICY_RULES = [
  { key: 'readiness', label: 'Readiness checklist and bosun/ready status' },
  { key: 'reviewers', label: 'Reviewer assignment' },
  { key: 'botPullRequests', label: 'Bot pull requests' },
  { key: 'stale', label: 'Stale pull requests' },
  { key: 'description', label: 'Description template' },
  { key: 'buildFailures', label: 'Failed builds comment on pull requests' },
] as const;

export type PolicyRuleKey = (typeof POLICY_RULES)[number]['key'];
export type RuleModeValue = 'off' | 'dry-run' | 'on';

export type DraftResult = { ok: true; layer: Record<string, unknown> } | { ok: false; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The editor's text as a policy layer; the server validates the rest. */
export function parsePolicyDraft(text: string): DraftResult {
  if (text.trim() === '') return { ok: true, layer: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  return isRecord(value) ? { ok: true, layer: value } : { ok: false, message: 'The policy must be a JSON object, e.g. {"stale": {"mode": "on"}}.' };
}

/** A rule's mode as the layer sets it; rules start in dry-run when the layer does not say. */
export function toRuleMode(layer: Record<string, unknown>, rule: PolicyRuleKey): RuleModeValue {
  const section = layer[rule];
  const mode = isRecord(section) ? section.mode : undefined;
  return mode === 'off' || mode === 'on' || mode === 'dry-run' ? mode : 'dry-run';
}

/** The layer with one rule's mode changed, as pretty JSON for the editor. */
export function withRuleMode(layer: Record<string, unknown>, rule: PolicyRuleKey, mode: RuleModeValue): Record<string, unknown> {
  const section = isRecord(layer[rule]) ? (layer[rule] as Record<string, unknown>) : {};
  return { ...layer, [rule]: { ...section, mode } };
}

export const toPolicyText = (layer: unknown): string => JSON.stringify(layer ?? {}, null, 2);
