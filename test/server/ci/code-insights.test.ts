import { describe, expect, it } from 'vitest';
import {
  CiPayloadError,
  getCiAdapter,
  parseJunit,
  parseSarif,
  toAnnotationBatches,
  toCodeInsightsReports,
  type CiBuildResult,
  type CiFinding,
} from '../../../server/ci';
import { loadCiDelivery, readCiFixture } from './ci-fixtures';

function resultWith(attachments: Partial<CiBuildResult['attachments']>): CiBuildResult {
  return {
    provider: 'generic',
    check: 'unit-tests',
    name: 'Unit tests',
    state: 'failure',
    commit: '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170',
    url: 'https://ci.example.com/builds/41',
    attachments: { junit: [], sarif: [], findings: [], ...attachments },
  };
}

function finding(index: number, overrides: Partial<CiFinding> = {}): CiFinding {
  return {
    id: `f${index}`,
    path: `src/file-${index % 50}.ts`,
    line: (index % 300) + 1,
    message: `Finding number ${index}`,
    severity: 'low',
    type: 'code_smell',
    result: 'failed',
    ...overrides,
  };
}

describe('JUnit XML', () => {
  it('counts tests and turns failures and errors into findings on their file and line', () => {
    const { summary, findings } = parseJunit(readCiFixture('junit/vitest-report.xml'));
    expect(summary).toMatchObject({ total: 5, failed: 2, errored: 1, skipped: 1 });
    expect(summary.durationSeconds).toBeCloseTo(0.63, 2);
    expect(findings).toHaveLength(3);
    expect(findings[0]).toMatchObject({
      path: 'src/login.test.ts',
      line: 21,
      severity: 'high',
      result: 'failed',
      message: 'Failed: src/login.test.ts › login > refuses an empty password — expected false to be true // Object.is equality',
    });
    expect(findings[0]?.details).toContain('src/login.test.ts:23:31');
    expect(findings[2]).toMatchObject({ message: expect.stringMatching(/^Errored: .*reading 'token'/) });
    expect(findings[2]?.path).toBeUndefined();
  });

  it('reads a bare <testsuite> with nothing failing', () => {
    expect(parseJunit(readCiFixture('junit/surefire-single-suite.xml'))).toEqual({
      summary: { total: 2, failed: 0, errored: 0, skipped: 0, durationSeconds: expect.closeTo(0.05, 5) },
      findings: [],
    });
  });

  it.each([
    ['<testsuites><testsuite>', /never closed/],
    ['<testsuites></testsuite>', /does not match/],
    ['<html><body/></html>', /root element is <html>/],
    ['<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites/>', /DOCTYPE/],
    ['not xml at all', /outside the root/],
    ['<testsuites a=1/>', /quoted attribute/],
  ])('refuses %j with a reason', (xml, reason) => {
    expect(() => parseJunit(xml)).toThrow(CiPayloadError);
    expect(() => parseJunit(xml)).toThrow(reason);
  });
});

describe('SARIF', () => {
  it('turns results into findings relative to the repository, security rules as vulnerabilities', () => {
    const { tools, findings } = parseSarif(JSON.parse(readCiFixture('sarif/eslint.sarif.json')), {
      pathPrefix: '/home/runner/work/widgets/widgets/',
    });
    expect(tools).toEqual(['ESLint']);
    expect(findings).toEqual([
      expect.objectContaining({ path: 'src/login.ts', line: 7, severity: 'medium', type: 'code_smell', title: 'ESLint no-unused-vars' }),
      expect.objectContaining({
        path: 'src/login.ts',
        line: 31,
        severity: 'critical',
        type: 'vulnerability',
        link: 'https://eslint.org/docs/latest/rules/no-eval',
      }),
    ]);
  });

  it('refuses a log that is not SARIF 2.1.0, naming the field', () => {
    expect(() => parseSarif({ version: '1.0.0', runs: [] })).toThrow(/version/);
    expect(() => parseSarif({ version: '2.1.0', runs: [{ results: [] }] })).toThrow(/runs\.0\.tool/);
  });
});

describe('Code Insights reports', () => {
  it('makes a failed TEST report with one annotation per failing test from the generic format', () => {
    const outcome = getCiAdapter('generic').parse(loadCiDelivery('generic/failure-with-junit.json'));
    if (outcome.kind !== 'build') throw new Error('ignored');
    const [tests, findings] = toCodeInsightsReports(outcome.result);
    expect(tests?.report).toMatchObject({
      title: 'Tests: Unit tests',
      report_type: 'TEST',
      result: 'FAILED',
      details: '5 tests: 1 passed, 2 failed, 1 errored, 1 skipped.',
      link: 'https://ci.example.com/acme/widgets/builds/41',
    });
    expect(tests?.report.data).toContainEqual({ title: 'Failed', type: 'NUMBER', value: 3 });
    expect(tests?.annotationBatches.flat()).toHaveLength(3);
    expect(tests?.annotationBatches.flat()[0]).toMatchObject({ annotation_type: 'BUG', result: 'FAILED', severity: 'HIGH', path: 'src/login.test.ts', line: 21 });
    expect(findings?.report).toMatchObject({ report_type: 'BUG', result: 'FAILED' });
    expect(findings?.annotationBatches.flat()).toEqual([expect.objectContaining({ annotation_type: 'CODE_SMELL', severity: 'LOW', path: 'src/login.ts', line: 3 })]);
    expect(tests?.reportId).not.toBe(findings?.reportId);
    expect(tests?.reportId.length).toBeLessThanOrEqual(40);
  });

  it('makes no report for a build without test or lint output', () => {
    expect(toCodeInsightsReports(resultWith({}))).toEqual([]);
  });

  it('refuses a build whose JUnit does not parse, before anything is posted', () => {
    expect(() => toCodeInsightsReports(resultWith({ junit: ['<testsuites>'] }))).toThrow(CiPayloadError);
  });

  it('keeps within 1,000 annotations per report, 100 per request, keeping the worst and saying how many were left out', () => {
    const many = Array.from({ length: 2500 }, (_, index) => finding(index));
    many[2400] = finding(2400, { severity: 'critical', message: 'The one that matters' });
    many[2401] = finding(2401, { severity: 'high', result: 'passed' });
    const [plan] = toCodeInsightsReports(resultWith({ findings: many }));
    const annotations = plan?.annotationBatches.flat() ?? [];
    expect(plan?.annotationBatches).toHaveLength(10);
    for (const batch of plan?.annotationBatches ?? []) expect(batch.length).toBeLessThanOrEqual(100);
    expect(annotations).toHaveLength(1000);
    expect(new Set(annotations.map((annotation) => annotation.external_id)).size).toBe(1000);
    expect(annotations[0]?.summary).toBe('The one that matters');
    expect(annotations.some((annotation) => annotation.result === 'PASSED')).toBe(false);
    expect(plan?.omitted).toBe(1500);
    expect(plan?.report.details).toMatch(/1500 more left out/);
  });

  it('clips summaries to 450 characters and details to 2,000, and drops repeated findings', () => {
    const long = finding(1, { message: 'word '.repeat(200), details: 'd'.repeat(5000) });
    const { batches, total } = toAnnotationBatches('report', [long, long, finding(2)]);
    expect(total).toBe(2);
    const [first] = batches.flat();
    expect(first?.summary.length).toBe(450);
    expect(first?.summary.endsWith('…')).toBe(true);
    expect(first?.details?.length).toBe(2000);
  });

  it('gives an annotation the same external id on every run, so a re-post updates rather than adds', () => {
    const once = toAnnotationBatches('report', [finding(5)]).batches.flat()[0]?.external_id;
    const again = toAnnotationBatches('report', [finding(9), finding(5)]).batches.flat()[1]?.external_id;
    expect(once).toBe(again);
  });
});
