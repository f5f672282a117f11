import { LIST, type OperationCase } from './operation-cases';

const COMMIT = '/2.0/repositories/acme/web/commit/abc';
const report = { type: 'report', uuid: '{r-1}', external_id: 'gha-tests', title: 'Tests: CI', report_type: 'TEST', result: 'FAILED' };
const annotation = { type: 'report_annotation', uuid: '{a-1}', external_id: 'gha-tests-1', annotation_type: 'BUG', summary: 'Failed', line: 3 };

export const reportCases: OperationCase[] = [
  {
    op: 'reports.list',
    run: (c) => c.reports.list('acme', 'web', 'abc'),
    request: { method: 'GET', path: `${COMMIT}/reports`, query: LIST },
    response: { status: 200, json: { values: [report] } },
    expected: [{ external_id: 'gha-tests', report_type: 'TEST' }],
  },
  {
    op: 'reports.get',
    title: 'by external id, encoded as one segment',
    run: (c) => c.reports.get('acme', 'web', 'abc', 'gha tests/1'),
    request: { method: 'GET', path: `${COMMIT}/reports/gha%20tests%2F1` },
    response: { status: 200, json: report },
    expected: { uuid: '{r-1}' },
  },
  {
    op: 'reports.put',
    run: (c) => c.reports.put('acme', 'web', 'abc', 'gha-tests', { title: 'Tests: CI', details: '1 failed', report_type: 'TEST', result: 'FAILED' }),
    request: { method: 'PUT', path: `${COMMIT}/reports/gha-tests`, body: { title: 'Tests: CI', details: '1 failed', report_type: 'TEST', result: 'FAILED' } },
    response: { status: 200, json: report },
    expected: { result: 'FAILED' },
  },
  {
    op: 'reports.delete',
    run: (c) => c.reports.delete('acme', 'web', 'abc', 'gha-tests'),
    request: { method: 'DELETE', path: `${COMMIT}/reports/gha-tests` },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'reports.listAnnotations',
    run: (c) => c.reports.listAnnotations('acme', 'web', 'abc', 'gha-tests'),
    request: { method: 'GET', path: `${COMMIT}/reports/gha-tests/annotations`, query: LIST },
    response: { status: 200, json: { values: [annotation] } },
    expected: [{ external_id: 'gha-tests-1', line: 3 }],
  },
  {
    op: 'reports.addAnnotations',
    run: (c) => c.reports.addAnnotations('acme', 'web', 'abc', 'gha-tests', [{ external_id: 'gha-tests-1', annotation_type: 'BUG', summary: 'Failed', line: 3 }]),
    request: {
      method: 'POST',
      path: `${COMMIT}/reports/gha-tests/annotations`,
      body: [{ external_id: 'gha-tests-1', annotation_type: 'BUG', summary: 'Failed', line: 3 }],
    },
    response: { status: 200, json: [annotation] },
    expected: [{ uuid: '{a-1}' }],
  },
];
