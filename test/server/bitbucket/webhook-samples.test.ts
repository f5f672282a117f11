import { describe, expect, it } from 'vitest';
import { parseWebhookData, webhookDataSchemas, WebhookPayloadError } from '../../../server/bitbucket/webhooks';
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
  it("keeps a pushed head's target (the bot rules read its commit message), and leaves other unread fields out of the parse", () => {
    const parsed = webhookDataSchemas['repo:push'].parse({
      actor: { type: 'user', uuid: '{u}', links: { avatar: { href: 'https://x' } } },
      repository: { type: 'repository', uuid: '{r}', full_name: 'acme/web', project: { key: 'P' } },
      push: { changes: [{ new: { type: 'branch', name: 'release/2.0', target: { hash: 'abc', message: 'Bump version' } }, old: null, created: true, closed: false, forced: false, commits: [{}] }] },
    });
    expect(parsed.push.changes[0]?.new?.target).toEqual({ hash: 'abc', message: 'Bump version' });
    expect(parsed.actor).toEqual({ type: 'user', uuid: '{u}' });
    expect(parsed.repository).toEqual({ type: 'repository', uuid: '{r}', full_name: 'acme/web' });
    expect(parsed.push.changes[0]).not.toHaveProperty('commits');
  });
  it('refuses events Bosun does not subscribe to', () => {
    expect(() => parseWebhookData('issue:created', {})).toThrow(WebhookPayloadError);
  });
});
