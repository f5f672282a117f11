import { PermanentError } from '../errors';
import { randomBytes, hkdfSync } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';

export interface KeyRing {
  /** The key new ciphertexts are written with. */
  primary: { id: string; key: Buffer };
  /** Every key that may still be read, primary included. */
  byId: ReadonlyMap<string, Buffer>;
}

export class KeyRingError extends PermanentError<'KEY_RING_INVALID'> {
  constructor(message: string) {
    super('KEY_RING_INVALID', 500, message);
  }
}

export function createKeyRing(keys: Array<{ id: string; key: Buffer }>): KeyRing {
  const [primary] = keys;
  if (!primary) throw new KeyRingError('At least one encryption key is required');
  for (const k of keys) {
    if (k.key.length !== 32) throw new KeyRingError(`Encryption key ${k.id} must be 32 bytes`);
  }
  return { primary, byId: new Map(keys.map((k) => [k.id, k.key])) };
}

interface KeyFile {
  keys: Array<{ id: string; key: string }>;
}

/**
 * The embedded default: a key file in the data directory, created with 0600 on first start.
 * Production configures BOSUN_ENCRYPTION_KEYS instead (config refuses to start without it).
 */
export async function loadOrCreateKeyFile(
  dataDir: string,
  onCreate: (filePath: string) => void,
): Promise<KeyRing> {
  const filePath = path.join(dataDir, 'bosun.key');
  try {
    const raw = await fs.readFile(filePath, 'utf8');
    const parsed = JSON.parse(raw) as KeyFile;
    if (!Array.isArray(parsed.keys)) throw new KeyRingError(`${filePath} is not a Bosun key file`);
    return createKeyRing(parsed.keys.map((k) => ({ id: String(k.id), key: Buffer.from(String(k.key), 'base64') })));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const key = { id: `k${Date.now().toString(36)}`, key: randomBytes(32) };
  const body: KeyFile = { keys: [{ id: key.id, key: key.key.toString('base64') }] };
  // 'wx' so two processes starting at once never overwrite each other's key.
  try {
    await fs.writeFile(filePath, JSON.stringify(body), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeyFile(dataDir, onCreate);
    throw err;
  }
  onCreate(filePath);
  return createKeyRing([key]);
}

/** Reads the key file as it is now (sync: used when a ciphertext names a key we have not loaded). */
export function readKeyFileSync(dataDir: string): KeyRing {
  const parsed = JSON.parse(readFileSync(path.join(dataDir, 'bosun.key'), 'utf8')) as KeyFile;
  return createKeyRing(parsed.keys.map((k) => ({ id: String(k.id), key: Buffer.from(String(k.key), 'base64') })));
}

/**
 * Key rotation for the embedded key file: a new key goes first (it seals from now on), the
 * older ones stay so that what they sealed can still be opened until it is re-sealed.
 */
export async function addKeyToKeyFile(dataDir: string): Promise<KeyRing> {
  const filePath = path.join(dataDir, 'bosun.key');
  const current = await loadOrCreateKeyFile(dataDir, () => {});
  const fresh = { id: `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`, key: randomBytes(32) };
  const keys = [fresh, ...[...current.byId.entries()].map(([id, key]) => ({ id, key }))];
  const body: KeyFile = { keys: keys.map((k) => ({ id: k.id, key: k.key.toString('base64') })) };
  const tmp = `${filePath}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
  await fs.rename(tmp, filePath);
  return createKeyRing(keys);
}

/** A purpose-bound subkey, so one master key never signs and encrypts with the same bytes. */
export function deriveKey(ring: KeyRing, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ring.primary.key, Buffer.alloc(0), `bosun:${purpose}`, 32));
}
