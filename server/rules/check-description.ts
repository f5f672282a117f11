export interface DescriptionPolicy {
  requiredSections: readonly string[];
  minLength: number;
}

export interface DescriptionCheck {
  ok: boolean;
  /** Required sections with no heading, or a heading and nothing under it. */
  missing: string[];
  empty: string[];
  tooShort: boolean;
  /** The `bosun/policy` commit status (description ≤ 255 characters). */
  status: { key: 'bosun/policy'; state: 'SUCCESSFUL' | 'FAILED'; name: string; description: string };
}

const normalize = (s: string) => s.replace(/^#+\s*/, '').replace(/[:\s]+$/, '').trim().toLowerCase();

/**
 * Template enforcement for a PR description: each required section is a markdown heading (any
 * level, matched without case or a trailing colon) with some text under it; HTML comments (the
 * template's hints) do not count as text.
 */
export function checkDescription(description: string, policy: DescriptionPolicy): DescriptionCheck {
  const text = description.replace(/<!--[\s\S]*?-->/g, '');
  const sections = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const heading = /^#{1,6}\s+(.+)$/.exec(line.trim());
    if (heading) {
      current = normalize(heading[1]!);
      sections.set(current, sections.get(current) ?? []);
    } else if (current !== null && line.trim() !== '') sections.get(current)!.push(line);
  }
  const missing = policy.requiredSections.filter((s) => !sections.has(normalize(s)));
  const empty = policy.requiredSections.filter((s) => sections.has(normalize(s)) && sections.get(normalize(s))!.length === 0);
  const length = text.replace(/\s+/g, ' ').trim().length;
  const tooShort = length < policy.minLength;
  const ok = missing.length === 0 && empty.length === 0 && !tooShort;
  const problems = [
    ...(missing.length ? [`missing ${missing.join(', ')}`] : []),
    ...(empty.length ? [`empty ${empty.join(', ')}`] : []),
    ...(tooShort ? [`shorter than ${policy.minLength} characters`] : []),
  ];
  return {
    ok,
    missing,
    empty,
    tooShort,
    status: {
      key: 'bosun/policy',
      state: ok ? 'SUCCESSFUL' : 'FAILED',
      name: 'Bosun: description',
      description: (ok ? 'The description follows the template.' : `Description: ${problems.join('; ')}.`).slice(0, 255),
    },
  };
}
