import { PermanentError } from '../errors';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './key-ring';

const VERSION = 'v1';

export class SecretBoxError extends PermanentError<'SECRET_UNREADABLE'> {
  constructor(message: string) {
    super('SECRET_UNREADABLE', 500, message);
  }
}

export interface SecretBox {
  /** AES-256-GCM with a random IV; `context` (the row's identity) is bound as associated data. */
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  /** The key id a ciphertext was written with (for rotation). */
  keyIdOf(sealed: string): string;
}

export function createSecretBox(ring: KeyRing): SecretBox {
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', ring.primary.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, ring.primary.id, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('Stored secret has an unknown format');
      const [, keyId, iv, tag, ct] = parts as [string, string, string, string, string];
      const key = ring.byId.get(keyId);
      if (!key) throw new SecretBoxError(`Stored secret was written with key "${keyId}", which is not configured`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('Stored secret failed its integrity check (wrong key or moved between rows)');
      }
    },
    keyIdOf(sealed) {
      return sealed.split('.')[1] ?? '';
    },
  };
}

/**
 * A box over a key ring that can change underneath (the embedded key file after
 * `npm run rotate-keys`): meeting a key id it does not know, it reloads the ring once.
 */
export function createReloadingSecretBox(initial: KeyRing, reload: () => KeyRing): SecretBox {
  let ring = initial;
  let box = createSecretBox(ring);
  return {
    seal: (plaintext, context) => box.seal(plaintext, context),
    keyIdOf: (sealed) => box.keyIdOf(sealed),
    open(sealed, context) {
      if (!ring.byId.has(box.keyIdOf(sealed))) {
        ring = reload();
        box = createSecretBox(ring);
      }
      return box.open(sealed, context);
    },
  };
}
