/**
 * JUnit XML (the Ant/Maven Surefire dialect every test runner writes: `<testsuites>` or a bare
 * `<testsuite>`, `<testcase>` with `<failure>`, `<error>` or `<skipped>`) into a test summary and
 * one finding per failed test. `file` and `line` attributes, which pytest, Jest and Vitest
 * reporters add, put the annotation on the file; without them it goes on the PR overview.
 * https://github.com/testmoapp/junitxml (the de-facto format description)
 */
import type { CiFinding } from './ci-build-result';
import { CiPayloadError } from './errors';
import { readXml, type XmlElement } from './read-xml';

export interface TestSummary {
  total: number;
  failed: number;
  errored: number;
  skipped: number;
  /** Seconds, summed over test cases that give a time. */
  durationSeconds: number;
}

export interface JunitResult {
  summary: TestSummary;
  findings: CiFinding[];
}

const MAX_DETAILS = 20_000;

function collectTestCases(element: XmlElement, into: Array<{ testCase: XmlElement; suite: string | undefined }>, suite?: string): void {
  for (const child of element.children) {
    if (child.name === 'testcase') into.push({ testCase: child, suite });
    else if (child.name === 'testsuite' || child.name === 'testsuites') collectTestCases(child, into, child.attributes.name ?? suite);
  }
}

function toLine(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const line = Number.parseInt(value, 10);
  return Number.isInteger(line) && line >= 1 ? line : undefined;
}

/** Reads one JUnit XML document; throws CiPayloadError when it is not XML or not JUnit. */
export function parseJunit(xml: string): JunitResult {
  const root = readXml(xml, 'JUnit XML report');
  if (root.name !== 'testsuites' && root.name !== 'testsuite') {
    throw new CiPayloadError('Not a valid JUnit XML report', [`root element is <${root.name.slice(0, 40)}>, expected <testsuites> or <testsuite>`]);
  }
  const cases: Array<{ testCase: XmlElement; suite: string | undefined }> = [];
  if (root.name === 'testsuite') collectTestCases(root, cases, root.attributes.name);
  else collectTestCases(root, cases);

  const summary: TestSummary = { total: 0, failed: 0, errored: 0, skipped: 0, durationSeconds: 0 };
  const findings: CiFinding[] = [];
  for (const { testCase, suite } of cases) {
    summary.total += 1;
    const time = Number.parseFloat(testCase.attributes.time ?? '');
    if (Number.isFinite(time) && time > 0) summary.durationSeconds += time;
    const failure = testCase.children.find((child) => child.name === 'failure' || child.name === 'error');
    if (testCase.children.some((child) => child.name === 'skipped') && failure === undefined) {
      summary.skipped += 1;
      continue;
    }
    if (failure === undefined) continue;
    if (failure.name === 'error') summary.errored += 1;
    else summary.failed += 1;
    const className = testCase.attributes.classname ?? suite;
    const testName = testCase.attributes.name ?? '(unnamed test)';
    const fullName = className ? `${className} › ${testName}` : testName;
    const message = failure.attributes.message ?? failure.text.trim().split('\n')[0] ?? '';
    const details = failure.text.trim();
    findings.push({
      id: `junit:${fullName}`,
      ...(testCase.attributes.file ? { path: testCase.attributes.file.replace(/^\.\//, '') } : {}),
      ...(toLine(testCase.attributes.line) === undefined ? {} : { line: toLine(testCase.attributes.line) }),
      title: fullName,
      message: `${failure.name === 'error' ? 'Errored' : 'Failed'}: ${fullName}${message ? ` — ${message}` : ''}`,
      ...(details ? { details: details.slice(0, MAX_DETAILS) } : {}),
      severity: 'high',
      type: 'bug',
      result: 'failed',
    });
  }
  return { summary, findings };
}
