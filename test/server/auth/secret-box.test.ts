import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox, loadOrCreateKeyFile } from '../../../server/auth';

describe('secret box', () => {
  const ring = createKeyRing([{ id: 'k1', key: randomBytes(32) }]);
  const box = createSecretBox(ring);

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('s3cret-value', 'tenants:a');
    expect(sealed).not.toContain('s3cret');
    expect(box.keyIdOf(sealed)).toBe('k1');
    expect(box.open(sealed, 'tenants:a')).toBe('s3cret-value');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('refuses a ciphertext moved to another row (associated data)', () => {
    const sealed = box.seal('value', 'tenants:a');
    expect(() => box.open(sealed, 'tenants:b')).toThrow(/integrity/);
  });

  it('reads old ciphertexts after a new primary key is added', () => {
    const old = box.seal('value', 'ctx');
    const rotated = createSecretBox(createKeyRing([{ id: 'k2', key: randomBytes(32) }, ...[...ring.byId.entries()].map(([id, key]) => ({ id, key }))]));
    expect(rotated.open(old, 'ctx')).toBe('value');
    expect(rotated.keyIdOf(rotated.seal('v', 'ctx'))).toBe('k2');
  });

  it('names the missing key when a ciphertext needs one that is not configured', () => {
    const other = createSecretBox(createKeyRing([{ id: 'other', key: randomBytes(32) }]));
    expect(() => other.open(box.seal('v', 'c'), 'c')).toThrow(/"k1"/);
  });

  it('creates the embedded key file with 0600 once and reuses it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-key-'));
    const created: string[] = [];
    const first = await loadOrCreateKeyFile(dir, (f) => created.push(f));
    const second = await loadOrCreateKeyFile(dir, (f) => created.push(f));
    expect(created).toHaveLength(1);
    expect(statSync(path.join(dir, 'bosun.key')).mode & 0o777).toBe(0o600);
    expect(second.primary.key.equals(first.primary.key)).toBe(true);
  });
});
