import { createPrivateKey, createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError, JWT_ALGORITHM } from '@market/kit';

/** What a challenge lets its holder do next: enter a code, or (an admin without TOTP) enrol. */
export type ChallengePurpose = 'code' | 'enrol';

export const CHALLENGE_TTL_SECONDS = 300;

const expired = () => new AppError('UNAUTHENTICATED', 'this sign-in has expired; enter your email and password again');

/**
 * The proof that a password was right, handed out instead of session cookies when a second step
 * follows. Signed with the access-token key but for another audience, so no service's access-token
 * verifier accepts it, and it names its one purpose.
 */
export function createChallenges(options: { privateKeyPem: string; issuer: string; audience: string }) {
  const privateKey = createPrivateKey(options.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const audience = `${options.audience}:second-step`;

  return {
    issue: (userId: string, purpose: ChallengePurpose): string =>
      jwt.sign({ purpose }, privateKey, {
        algorithm: JWT_ALGORITHM,
        subject: userId,
        issuer: options.issuer,
        audience,
        expiresIn: CHALLENGE_TTL_SECONDS,
      }),
    /** The user id the challenge was issued to; 401 when it is forged, expired or for another purpose. */
    verify(token: string, purpose: ChallengePurpose): string {
      let claims: jwt.JwtPayload | string;
      try {
        claims = jwt.verify(token, publicKey, { algorithms: [JWT_ALGORITHM], issuer: options.issuer, audience });
      } catch {
        throw expired();
      }
      if (typeof claims === 'string' || claims.purpose !== purpose || !claims.sub) throw expired();
      return claims.sub;
    },
  };
}

export type Challenges = ReturnType<typeof createChallenges>;
