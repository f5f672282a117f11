import { describe, expect, it } from 'vitest';
import { parseWebhookData, WebhookPayloadError } from '../../../server/bitbucket/webhooks';
import { hasSamples, listWebhookSamples, readSample } from '../../helpers/shared-samples';

describe.skipIf(!hasSamples)('captured webhook payloads parse with Bosun schemas', () => {
  const samples = listWebhookSamples();
  it('finds the samples', () => expect(samples.length).toBeGreaterThanOrEqual(20));
  it.each(samples)('$file', ({ file, event }) => {
    const data = readSample(file);
    // Connect wraps the same body as {event, data}; web/webhooks-router unwraps it before this parse.
    const parsed = parseWebhookData(event, data);
    expect(parsed.event).toBe(event);
    expect(parsed.repositoryUuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    if (event.startsWith('pullrequest:')) expect(parsed.pullRequestId).toBeGreaterThan(0);
  });
});

describe('webhook payload validation', () => {
  it('names the bad field', () => {
    expect(() => parseWebhookData('pullrequest:approved', { actor: { type: 'user' }, repository: { type: 'repository' } })).toThrow(
      /repository\.uuid/,
    );
  });
  it('refuses events Bosun does not subscribe to', () => {
    expect(() => parseWebhookData('issue:created', {})).toThrow(WebhookPayloadError);
  });
});
