import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { AppError, JWT_ALGORITHM } from '@market/kit';

/** What a challenge lets its holder do next: enter a code, or (an admin without TOTP) enrol. */
export type ChallengePurpose = 'code' | 'enrol';

export const CHALLENGE_TTL_SECONDS = 300;

const expired = () => new AppError('UNAUTHENTICATED', 'this sign-in has expired; enter your email and password again');
const spent = () =>
  new AppError('UNAUTHENTICATED', 'this sign-in has already been completed; enter your email and password again');

/** Marks a challenge that signed someone in: `auth:second-step:<challenge id>`, kept as long as the challenge lives. */
const SPENT_CHALLENGE_KEY_PREFIX = 'auth:second-step:';

/**
 * The proof that a password was right, handed out instead of session cookies when a second step
 * follows. Signed with the access-token key but for another audience, so no service's access-token
 * verifier accepts it, and it names its one purpose. It signs in at most once (`complete`).
 */
export function createChallenges(options: { privateKeyPem: string; issuer: string; audience: string; redis: Redis }) {
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
        jwtid: randomUUID(),
      }),
    /** The user id the challenge was issued to; 401 when it is forged, expired or for another purpose. */
    verify: (token: string, purpose: ChallengePurpose): string => claimsOf(token, purpose).sub,
    /**
     * The step that ends a sign-in: `check(userId)` (the code) runs only while the challenge has not
     * signed anyone in, and at most one call per challenge succeeds. The challenge is marked first and
     * unmarked when the check throws, so a wrong code leaves it usable and no code is spent on a
     * challenge that was already used. 401 when it was; 503 when Redis cannot tell.
     */
    async complete<T>(token: string, purpose: ChallengePurpose, check: (userId: string) => Promise<T>): Promise<T> {
      const { sub, jti } = claimsOf(token, purpose);
      const key = `${SPENT_CHALLENGE_KEY_PREFIX}${jti}`;
      let marked: string | null;
      try {
        marked = await options.redis.set(key, '1', 'EX', CHALLENGE_TTL_SECONDS, 'NX');
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE', 'sign-in cannot be completed right now; try again in a moment');
      }
      if (marked === null) throw spent();
      try {
        return await check(sub);
      } catch (err) {
        await options.redis.del(key).catch(() => undefined);
        throw err;
      }
    },
  };

  function claimsOf(token: string, purpose: ChallengePurpose): { sub: string; jti: string } {
    let claims: jwt.JwtPayload | string;
    try {
      claims = jwt.verify(token, publicKey, { algorithms: [JWT_ALGORITHM], issuer: options.issuer, audience });
    } catch {
      throw expired();
    }
    if (typeof claims === 'string' || claims.purpose !== purpose || !claims.sub || !claims.jti) throw expired();
    return { sub: claims.sub, jti: claims.jti };
  }
}

export type Challenges = ReturnType<typeof createChallenges>;
