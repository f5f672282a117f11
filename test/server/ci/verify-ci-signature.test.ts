import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCiSignature } from '../../../server/ci';

const secret = 'integration-secret-0123456789';
const body = Buffer.from('{"version":1,"state":"running"}');
const hmac = (key: string, data: Buffer) => createHmac('sha256', key).update(data).digest('hex');

describe('CI delivery signatures', () => {
  it.each([
    ['Bosun', { 'x-bosun-signature': `sha256=${hmac(secret, body)}` }],
    ['GitHub', { 'X-Hub-Signature-256': `sha256=${hmac(secret, body)}` }],
    ['CircleCI (several versions)', { 'circleci-signature': `v0=abc,v1=${hmac(secret, body)}` }],
  ])('accepts a %s HMAC of the raw body', (_name, headers) => {
    expect(verifyCiSignature(headers, body, secret)).toEqual({ ok: true, method: 'hmac' });
  });

  it.each([
    ['a bearer secret', { authorization: `Bearer ${secret}` }],
    ['GitLab’s token', { 'x-gitlab-token': secret }],
  ])('accepts %s where a CI cannot sign', (_name, headers) => {
    expect(verifyCiSignature(headers, body, secret)).toEqual({ ok: true, method: 'token' });
  });

  it.each([
    ['an HMAC with another secret', { 'x-bosun-signature': `sha256=${hmac('other', body)}` }],
    ['an HMAC of another body', { 'x-hub-signature-256': `sha256=${hmac(secret, Buffer.from('{}'))}` }],
    ['a wrong bearer', { authorization: `Bearer ${secret}x` }],
    ['a bearer prefix of the secret', { authorization: `Bearer ${secret.slice(0, 10)}` }],
    ['a truncated digest', { 'x-bosun-signature': `sha256=${hmac(secret, body).slice(0, 32)}` }],
    ['the digest without its prefix', { 'x-bosun-signature': hmac(secret, body) }],
  ])('refuses %s', (_name, headers) => {
    const check = verifyCiSignature(headers, body, secret);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(/does not match/);
  });

  it('says how to sign when nothing was offered', () => {
    const check = verifyCiSignature({}, body, secret);
    expect(!check.ok && check.reason).toMatch(/X-Bosun-Signature/);
  });

  it('refuses a body changed by one byte after signing', () => {
    const signature = `sha256=${hmac(secret, body)}`;
    const changed = Buffer.from(body);
    changed[2] = changed[2]! ^ 1;
    expect(verifyCiSignature({ 'x-bosun-signature': signature }, changed, secret).ok).toBe(false);
  });
});
