import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts the TOTP secrets at rest (AES-256-GCM), so whoever reads the auth database or a dump of it
 * cannot compute a user's codes. A sealed value is `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url),
 * bound to its user id (additional data: a sealed secret copied to another user's row does not open).
 * The first key seals; every key opens what it sealed, so keys rotate by putting the new one first.
 */
export interface SecretBox {
  seal(plain: string, userId: string): string;
  /** The secret; a value stored before encryption (no `v1.` prefix) is returned as it is. */
  open(stored: string, userId: string): string;
  /** True when `stored` is sealed with the first key: nothing to re-seal. */
  isCurrent(stored: string): boolean;
}

const VERSION = 'v1';

const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function createSecretBox(keys: readonly Buffer[]): SecretBox {
  const [current] = keys;
  if (!current || keys.some((key) => key.length !== 32)) throw new Error('the secret box needs 32-byte keys');
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]));
  const currentId = keyIdOf(current);

  return {
    seal(plain, userId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv).setAAD(Buffer.from(userId));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
      return [VERSION, currentId, ...parts].join('.');
    },
    open(stored, userId) {
      if (!stored.startsWith(`${VERSION}.`)) return stored;
      const [, id = '', iv = '', tag = '', ciphertext = ''] = stored.split('.');
      const key = byId.get(id);
      if (!key) throw new Error(`a TOTP secret is sealed with key ${id}, which TOTP_ENCRYPTION_KEYS no longer holds`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        .setAAD(Buffer.from(userId))
        .setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
    isCurrent: (stored) => stored.startsWith(`${VERSION}.${currentId}.`),
  };
}
