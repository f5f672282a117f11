import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

describe('loadConfig', () => {
  it('starts on embedded defaults with nothing set', () => {
    const config = loadConfig({}, '/srv/bosun');
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBe('sqlite:/srv/bosun/data/bosun.sqlite');
    expect(config.allowedHosts).toContain('localhost');
    expect(config.encryptionKeys).toEqual([]);
  });

  it('accepts a postgres URL and strips a trailing slash from the base URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/bosun', BOSUN_BASE_URL: 'https://bosun.example.com/' });
    expect(config.databaseUrl).toBe('postgres://u@db:5432/bosun');
    expect(config.baseUrl).toBe('https://bosun.example.com');
  });

  it('lists every bad variable by name', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BOSUN_BASE_URL: 'not a url' });
      expect.unreachable('loadConfig should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('BOSUN_BASE_URL');
    }
  });

  it('reads the CI reaper limit, defaulting to a day, and refuses one under a minute', () => {
    expect(loadConfig({}).ci).toEqual({ reapAfterMs: 86_400_000 });
    expect(loadConfig({ BOSUN_CI_REAP_AFTER_MS: '3600000' }).ci).toEqual({ reapAfterMs: 3_600_000 });
    expect(() => loadConfig({ BOSUN_CI_REAP_AFTER_MS: '10' })).toThrow(/BOSUN_CI_REAP_AFTER_MS/);
    expect(() => loadConfig({ BOSUN_CI_REAP_AFTER_MS: 'soon' })).toThrow(/BOSUN_CI_REAP_AFTER_MS/);
  });

  it('reads the job and execution leases, defaulting to 30 s and 60 s', () => {
    expect(loadConfig({}).jobs).toEqual({ leaseMs: 30_000, executionLeaseMs: 60_000, pollIntervalMs: 250 });
    expect(loadConfig({ BOSUN_JOB_LEASE_MS: '800', BOSUN_EXECUTION_LEASE_MS: '900', BOSUN_JOB_POLL_MS: '50' }).jobs).toEqual({
      leaseMs: 800, executionLeaseMs: 900, pollIntervalMs: 50,
    });
    expect(() => loadConfig({ BOSUN_JOB_LEASE_MS: '0', BOSUN_EXECUTION_LEASE_MS: 'soon' })).toThrow(/BOSUN_JOB_LEASE_MS[\s\S]*BOSUN_EXECUTION_LEASE_MS/);
  });

  it('refuses production without a public URL and configured encryption keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/BOSUN_BASE_URL[\s\S]*BOSUN_ENCRYPTION_KEYS/);
  });

  it('parses encryption keys and rejects short ones with a fix-it hint', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ BOSUN_ENCRYPTION_KEYS: `k2:${key},k1:${key}` }).encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => loadConfig({ BOSUN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/randomBytes\(32\)/);
  });

  it('production allows only bitbucket.org hosts unless told otherwise', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({ NODE_ENV: 'production', BOSUN_BASE_URL: 'https://b.example', BOSUN_ENCRYPTION_KEYS: `k:${key}` });
    expect(config.allowedHosts).toEqual(['bitbucket.org', 'api.bitbucket.org']);
  });
});
