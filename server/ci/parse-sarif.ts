/**
 * SARIF 2.1.0 (what ESLint, CodeQL, Semgrep, Trivy and most linters can write) into findings:
 * one per result, on the file and line of its first physical location.
 * Levels: error → high, warning → medium, note/none → low; a `security-severity` of 9 or more
 * (GitHub's convention on the rule's properties) is critical, and a rule tagged "security" makes
 * the finding a vulnerability.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { z } from 'zod';
import type { CiFinding } from './ci-build-result';
import { parsePayload } from './parse-payload';

const propertiesSchema = z.looseObject({ tags: z.array(z.string()).optional(), 'security-severity': z.string().optional() }).optional();

const ruleSchema = z.looseObject({
  id: z.string(),
  shortDescription: z.looseObject({ text: z.string() }).optional(),
  helpUri: z.string().optional(),
  properties: propertiesSchema,
});

const resultSchema = z.looseObject({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().nonnegative().optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  kind: z.string().optional(),
  message: z.looseObject({ text: z.string().optional(), markdown: z.string().optional() }),
  locations: z
    .array(
      z.looseObject({
        physicalLocation: z
          .looseObject({
            artifactLocation: z.looseObject({ uri: z.string().optional() }).optional(),
            region: z.looseObject({ startLine: z.number().int().optional() }).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});

export const sarifLogSchema = z.looseObject({
  version: z.literal('2.1.0'),
  runs: z.array(
    z.looseObject({
      tool: z.looseObject({
        driver: z.looseObject({ name: z.string(), rules: z.array(ruleSchema).optional() }),
      }),
      results: z.array(resultSchema).optional(),
    }),
  ),
});

export interface SarifResult {
  /** The tools that produced the results ("ESLint", "CodeQL"). */
  tools: string[];
  findings: CiFinding[];
}

/** Makes a SARIF URI a repository-relative path: no scheme, no leading "./" or "/", `pathPrefix` removed. */
function toRepositoryPath(uri: string | undefined, pathPrefix: string | undefined): string | undefined {
  if (uri === undefined || uri === '') return undefined;
  let path = uri.replace(/^file:\/\//, '');
  try {
    path = decodeURI(path);
  } catch {
    // Keep it as written.
  }
  if (pathPrefix && path.startsWith(pathPrefix)) path = path.slice(pathPrefix.length);
  path = path.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  return path === '' ? undefined : path;
}

/** Reads one SARIF log (already parsed JSON); throws CiPayloadError naming the fields at fault. */
export function parseSarif(log: unknown, options: { pathPrefix?: string } = {}): SarifResult {
  const sarif = parsePayload(sarifLogSchema, log, 'SARIF 2.1.0 log');
  const tools: string[] = [];
  const findings: CiFinding[] = [];
  for (const run of sarif.runs) {
    const driver = run.tool.driver;
    tools.push(driver.name);
    const rules = driver.rules ?? [];
    for (const result of run.results ?? []) {
      // "pass" and "informational" results are not findings.
      if (result.kind !== undefined && result.kind !== 'fail' && result.kind !== 'review' && result.kind !== 'open') continue;
      const rule =
        (result.ruleIndex === undefined ? undefined : rules[result.ruleIndex]) ?? rules.find((candidate) => candidate.id === result.ruleId);
      const ruleId = result.ruleId ?? rule?.id;
      const location = result.locations?.[0]?.physicalLocation;
      const path = toRepositoryPath(location?.artifactLocation?.uri, options.pathPrefix);
      const line = location?.region?.startLine;
      const securitySeverity = Number.parseFloat(rule?.properties?.['security-severity'] ?? '');
      const level = result.level ?? 'warning';
      const severity =
        securitySeverity >= 9 ? 'critical' : level === 'error' ? 'high' : level === 'warning' ? 'medium' : 'low';
      const text = result.message.text ?? result.message.markdown ?? rule?.shortDescription?.text ?? ruleId ?? 'Finding';
      findings.push({
        id: `sarif:${driver.name}:${ruleId ?? ''}:${path ?? ''}:${line ?? ''}:${text.slice(0, 80)}`,
        ...(path === undefined ? {} : { path }),
        ...(line !== undefined && line >= 1 ? { line } : {}),
        title: ruleId ? `${driver.name} ${ruleId}` : driver.name,
        message: text,
        severity,
        type: rule?.properties?.tags?.includes('security') ? 'vulnerability' : 'code_smell',
        result: 'failed',
        ...(rule?.helpUri && /^https?:\/\//.test(rule.helpUri) ? { link: rule.helpUri } : {}),
      });
    }
  }
  return { tools, findings };
}
