// The local stack's JWT signing key and TOTP encryption key: created once in .local/keys and reused, so
// sessions and two-factor set-ups survive restarts.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './proc.js';

const DEFAULT_KEYS_DIR = path.join(repoRoot, '.local', 'keys');

/** RFC 7638 thumbprint of an EC public key, used as its `kid`. */
function keyIdOf(publicPem: string): string {
  const { crv, kty, x, y } = createPublicKey(publicPem).export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

export interface SigningKeys {
  privatePem: string;
  publicPem: string;
  kid: string;
  /** TOTP_ENCRYPTION_KEYS: base64 of 32 random bytes. */
  totpKeys: string;
}

/** → { privatePem, publicPem, kid, totpKeys } for an ES256 (P-256) pair and an AES-256 key kept in `dir`. */
export function ensureKeys(dir = DEFAULT_KEYS_DIR): SigningKeys {
  const privateFile = path.join(dir, 'jwt-private.pem');
  const publicFile = path.join(dir, 'jwt-public.pem');
  if (!existsSync(privateFile)) {
    mkdirSync(path.dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(privateFile, privateKey, { mode: 0o600 });
    writeFileSync(publicFile, publicKey, { mode: 0o644 });
  }
  const totpFile = path.join(dir, 'totp-encryption.key');
  if (!existsSync(totpFile)) writeFileSync(totpFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const privatePem = readFileSync(privateFile, 'utf8');
  const publicPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, publicPem, kid: keyIdOf(publicPem), totpKeys: readFileSync(totpFile, 'utf8').trim() };
}
