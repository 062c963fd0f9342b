import type Redis from 'ioredis';
import type { Logger } from '@market/kit';
import type { Db, Tx } from '../data/db';
import { consumeToken } from '../data/email-token-repository';
import { findUserById, updateUser } from '../data/user-repository';
import { hashMailedToken, invalidToken, issueMailedToken } from './mailed-tokens';
import { consumeAll, redisLimiter } from './rate-limits';

const VERIFY_TOKEN_TTL_MS = 7 * 24 * 3600_000;

/**
 * Email verification: a link mailed at sign-up (and again on request) proves the address belongs to
 * the user. Access tokens carry the outcome (`email_verified`); a refresh picks a new state up.
 */
export function createEmailVerification(deps: {
  db: Db;
  redis: Redis;
  logger: Logger;
  limits: { prefix: string; perAccount: number; windowSeconds: number };
  mailQueued?: () => void;
}) {
  const { db, logger } = deps;
  const perAccount = redisLimiter({
    redis: deps.redis,
    prefix: deps.limits.prefix,
    name: 'verify:user',
    points: deps.limits.perAccount,
    windowSeconds: deps.limits.windowSeconds,
  });

  /** Queues the mail in the caller's transaction (sign-up); call mailQueued() after the commit. */
  const issue = (user: { id: string; username: string; email: string }, tx: Tx) =>
    issueMailedToken(
      {
        userId: user.id,
        username: user.username,
        email: user.email,
        purpose: 'verify-email',
        ttlMs: VERIFY_TOKEN_TTL_MS,
      },
      tx,
    );

  async function resend(userId: string): Promise<void> {
    await consumeAll('verification mails for this account', [[perAccount, userId]]);
    const row = await findUserById(userId, db);
    if (!row || row.disabled || row.emailVerified) return;
    await db.transaction((tx) => issue(row, tx));
    deps.mailQueued?.();
    logger.info({ userId }, 'verification mail queued again');
  }

  async function verify(token: string): Promise<void> {
    const userId = await db.transaction(async (tx) => {
      const used = await consumeToken(hashMailedToken(token), 'verify-email', tx);
      if (!used) throw invalidToken();
      const row = await findUserById(used.userId, tx);
      // A link for an address the account no longer has verifies nothing.
      if (!row || row.disabled || row.email !== used.email) throw invalidToken();
      await updateUser(used.userId, { emailVerified: true }, tx);
      return used.userId;
    });
    logger.info({ userId }, 'email address verified');
  }

  return { issue, resend, verify, mailQueued: () => deps.mailQueued?.() };
}

export type EmailVerification = ReturnType<typeof createEmailVerification>;
