import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { User } from '@market/contracts';
import {
  createTokenVerifier,
  issuedNow,
  JWT_ALGORITHM,
  type SessionRevocations,
  type TokenVerifier,
} from '@market/kit';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: typeof JWT_ALGORITHM;
  use: 'sig';
}

export interface AccessTokens {
  sign(user: User): string;
  verify: TokenVerifier;
  jwks: { keys: PublicJwk[] };
  ttlSeconds: number;
}

/** Only auth-service holds the private key; other services verify through the JWKS or the public PEM. */
export function createAccessTokens(options: {
  privateKeyPem: string;
  keyId: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  revocations: SessionRevocations;
  acceptPlainCookie: boolean;
}): AccessTokens {
  const privateKey: KeyObject = createPrivateKey(options.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const jwk: PublicJwk = { ...publicKey.export({ format: 'jwk' }), kid: options.keyId, alg: JWT_ALGORITHM, use: 'sig' };
  return {
    sign: (user) =>
      jwt.sign(
        {
          username: user.username,
          role: user.role,
          // OpenID Connect's claim name; products and orders refuse listing and ordering without it.
          email_verified: user.emailVerified,
          ...issuedNow(options.ttlSeconds),
        },
        privateKey,
        {
          algorithm: JWT_ALGORITHM,
          keyid: options.keyId,
          subject: user.id,
          issuer: options.issuer,
          audience: options.audience,
        },
      ),
    verify: createTokenVerifier({
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      issuer: options.issuer,
      audience: options.audience,
      revocations: options.revocations,
      acceptPlainCookie: options.acceptPlainCookie,
    }),
    jwks: { keys: [jwk] },
    ttlSeconds: options.ttlSeconds,
  };
}
