import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/api/api-error';
import { BootContextError } from '../../../client/api/boot-context-error';
import { toErrorNotice } from '../../../client/api/to-error-notice';

describe('toErrorNotice', () => {
  it('tells the viewer to reload on 401', () => {
    expect(toErrorNotice(new ApiError(401, 'session_expired', 'expired'))).toMatchObject({
      appearance: 'warning',
      title: 'Your session expired, reload the page',
    });
  });

  it('says Bosun is unreachable on a network error', () => {
    const notice = toErrorNotice(new ApiError(0, 'network_error', 'Could not reach Bosun (Failed to fetch)'));
    expect(notice.title).toBe('Bosun is unreachable');
    expect(notice.body).toContain('Failed to fetch');
  });

  it('shows the server message, code and status for other errors', () => {
    const notice = toErrorNotice(new ApiError(500, 'internal', 'Database is down'));
    expect(notice).toMatchObject({ appearance: 'error', title: 'Bosun could not load this page' });
    expect(notice.body).toBe('Database is down (internal, HTTP 500)');
  });

  it('words a refused input plainly, not as a page that could not load', () => {
    const notice = toErrorNotice(new ApiError(400, 'VALIDATION', 'text: Too big: expected string to have <=2000 characters'));
    expect(notice).toEqual({ appearance: 'warning', title: 'Bosun could not use what was entered', body: 'text: Too big: expected string to have <=2000 characters' });
    expect(toErrorNotice(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Too large')).title).not.toContain('could not load');
  });

    it('explains a missing boot context', () => {
    expect(toErrorNotice(new BootContextError('no token')).title).toBe('Open this page from Bitbucket');
  });

  it('handles anything thrown', () => {
    expect(toErrorNotice(new Error('boom')).body).toBe('boom');
    expect(toErrorNotice('plain string').body).toBe('plain string');
  });
});
