import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { DEFAULT_WEB_LIMITS } from '../../../server/web/api/create-session-guards';

describe('web limits configuration', () => {
  it('defaults to 30 changes per person per minute and a 60 s admin check', () => {
    expect(loadConfig({}, '/srv/bosun').web).toEqual({ writesPerMinute: 30, adminCheckTtlSeconds: 60 });
    expect(DEFAULT_WEB_LIMITS).toEqual({ writesPerMinute: 30, adminCheckTtlSeconds: 60 });
  });

  it('reads BOSUN_RATE_LIMIT_PER_MINUTE and BOSUN_ADMIN_CHECK_TTL_SECONDS (0 allowed for both)', () => {
    expect(loadConfig({ BOSUN_RATE_LIMIT_PER_MINUTE: '120', BOSUN_ADMIN_CHECK_TTL_SECONDS: '0' }).web).toEqual({ writesPerMinute: 120, adminCheckTtlSeconds: 0 });
  });

  it('names both variables when they are not whole numbers in range', () => {
    let error: unknown;
    try {
      loadConfig({ BOSUN_RATE_LIMIT_PER_MINUTE: 'lots', BOSUN_ADMIN_CHECK_TTL_SECONDS: '-1' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('BOSUN_RATE_LIMIT_PER_MINUTE');
    expect(problems).toContain('BOSUN_ADMIN_CHECK_TTL_SECONDS');
  });
});
