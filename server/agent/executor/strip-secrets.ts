const SECRET_FIELD = /secret|token|password|passwd|authorization|jwt|cookie|credential|api[-_]?key|private[-_]?key/i;
const REDACTED = '[redacted]';

/**
 * A copy of a tool input fit for the audit log: secret-looking fields are replaced, and so is the
 * value of every pipeline variable marked `secured`.
 */
export function stripSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => stripSecrets(v, depth + 1));
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (SECRET_FIELD.test(k)) out[k] = REDACTED;
    else if (k === 'value' && record.secured === true) out[k] = REDACTED;
    else out[k] = stripSecrets(v, depth + 1);
  }
  return out;
}
