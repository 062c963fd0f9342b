// The local stack's JWT signing key: created once in .local/keys and reused, so sessions survive restarts.
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
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
}

/** → { privatePem, publicPem, kid } for an ES256 (P-256) pair kept in `dir`. */
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
  const privatePem = readFileSync(privateFile, 'utf8');
  const publicPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, publicPem, kid: keyIdOf(publicPem) };
}
