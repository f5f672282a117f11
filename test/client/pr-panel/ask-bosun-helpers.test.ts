import { describe, expect, it } from 'vitest';
import { isJobChangingData, toJobMessage, toJobOutcome } from '../../../client/pr-panel/to-job-result';
import { toRiskLozenge } from '../../../client/pr-panel/to-risk-lozenge';
import { toCompactJson, toStepDescription } from '../../../client/pr-panel/to-step-description';
import { createAuditEntry, createAuditStep, createJob } from '../agent-fixtures';

describe('toRiskLozenge', () => {
  it.each([
    ['read', 'default', 'Read'],
    ['write', 'moved', 'Write'],
    ['destructive', 'removed', 'Destructive'],
  ] as const)('shows %s as a %s lozenge', (risk, appearance, label) => {
    expect(toRiskLozenge(risk)).toEqual({ appearance, label });
  });

  it('says Unknown when the tool has no risk', () => {
    expect(toRiskLozenge(null)).toEqual({ appearance: 'default', label: 'Unknown' });
  });
});

describe('toStepDescription', () => {
  it('prefers the description', () => {
    expect(toStepDescription({ description: ' Merge #7 ', input: { pullRequestId: 7 } })).toEqual({ text: 'Merge #7', isJson: false });
  });

  it('falls back to the input as compact JSON', () => {
    expect(toStepDescription({ description: null, input: { pullRequestId: 7, strategy: 'squash' } })).toEqual({
      text: '{"pullRequestId":7,"strategy":"squash"}',
      isJson: true,
    });
    expect(toStepDescription({ description: '  ', input: [1] }).text).toBe('[1]');
  });
});

describe('toCompactJson', () => {
  it('cuts long JSON with an ellipsis', () => {
    const text = toCompactJson({ body: 'x'.repeat(500) }, 40);
    expect(text).toHaveLength(40);
    expect(text.endsWith('…')).toBe(true);
  });

  it('shows a dash for what JSON cannot show', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(toCompactJson(undefined)).toBe('—');
    expect(toCompactJson(loop)).toBe('—');
    expect(toCompactJson(null)).toBe('null');
  });
});

describe('finished jobs', () => {
  it('takes the outcome and message from the audit entry', () => {
    const job = createJob({ done: true, state: 'succeeded', audit: createAuditEntry({ outcome: 'refused', message: 'Not allowed' }) });
    expect(toJobOutcome(job)).toBe('refused');
    expect(toJobMessage(job)).toBe('Not allowed');
  });

  it('treats a job that died without an audit entry as failed, with its error', () => {
    const job = createJob({ done: true, state: 'dead', error: 'Worker crashed' });
    expect(toJobOutcome(job)).toBe('failed');
    expect(toJobMessage(job)).toBe('Worker crashed');
    expect(toJobMessage({ ...job, error: null })).toBe('The job failed before it could report.');
  });

  it('reloads the panel after a success, or a failure that got part-way', () => {
    expect(isJobChangingData(createJob({ done: true, audit: createAuditEntry() }))).toBe(true);
    const partial = createAuditEntry({ outcome: 'failed', steps: [createAuditStep(), createAuditStep({ outcome: 'failed' })] });
    expect(isJobChangingData(createJob({ done: true, audit: partial }))).toBe(true);
    const none = createAuditEntry({ outcome: 'failed', steps: [createAuditStep({ outcome: 'failed' })] });
    expect(isJobChangingData(createJob({ done: true, audit: none }))).toBe(false);
    expect(isJobChangingData(createJob({ done: true, state: 'dead', error: 'x' }))).toBe(false);
  });
});
