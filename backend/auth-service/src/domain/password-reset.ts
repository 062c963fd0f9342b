import { AppError, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import { findLiveToken, consumeToken, voidTokens } from '../data/email-token-repository';
import { findUserByEmail, updateUser } from '../data/user-repository';
import { hashMailedToken, invalidToken, issueMailedToken } from './mailed-tokens';
import { passwordProblem, type PasswordHasher } from './passwords';
import { consumeAll, redisLimiter } from './rate-limits';
import type { Sessions } from './sessions';
import type Redis from 'ioredis';

const RESET_TOKEN_TTL_MS = 30 * 60_000;

/**
 * Forgotten passwords: a link mailed to the address (if it has an account), valid 30 minutes and
 * once; setting the new password ends every session of the account.
 */
export function createPasswordReset(deps: {
  db: Db;
  redis: Redis;
  passwords: PasswordHasher;
  sessions: Sessions;
  logger: Logger;
  limits: { prefix: string; perIp: number; perEmail: number; windowSeconds: number };
  /** Wakes the mail relay after a commit that queued mail. */
  mailQueued?: () => void;
}) {
  const { db, passwords, sessions, logger } = deps;
  const common = { redis: deps.redis, prefix: deps.limits.prefix, windowSeconds: deps.limits.windowSeconds };
  const perIp = redisLimiter({ ...common, name: 'reset:ip', points: deps.limits.perIp });
  // Counted per address asked for, known or not, so the limit itself says nothing about accounts.
  const perEmail = redisLimiter({ ...common, name: 'reset:email', points: deps.limits.perEmail });

  async function queueResetMail(email: string): Promise<void> {
    const row = await findUserByEmail(email, db);
    if (!row || row.disabled) {
      logger.info({ known: false }, 'password reset asked for an address without an active account');
      return;
    }
    await db.transaction((tx) =>
      issueMailedToken(
        {
          userId: row.id,
          username: row.username,
          email: row.email,
          purpose: 'reset-password',
          ttlMs: RESET_TOKEN_TTL_MS,
        },
        tx,
      ),
    );
    deps.mailQueued?.();
    logger.info({ userId: row.id }, 'password reset mail queued');
  }

  /**
   * The same answer, at the same moment, whether the address has an account or not: the lookup and
   * the queueing happen after the answer, so neither the body nor the timing tells them apart.
   */
  async function request(input: { email: string; ip: string }): Promise<void> {
    await consumeAll('password-reset requests', [
      [perIp, input.ip],
      [perEmail, input.email],
    ]);
    void queueResetMail(input.email).catch((err: unknown) => logger.error({ err }, 'could not queue a password reset'));
  }

  async function complete(input: { token: string; password: string }): Promise<void> {
    const problem = passwordProblem(input.password);
    if (problem) throw new AppError('VALIDATION_FAILED', problem, 400, [{ field: 'password', message: problem }]);
    const tokenHash = hashMailedToken(input.token);
    const live = await findLiveToken(tokenHash, 'reset-password', db);
    if (!live) throw invalidToken();
    const passwordHash = await passwords.hash(input.password);
    // Redis first (as a password change does): if the access tokens cannot be ended, nothing changes (503).
    await sessions.expireAccessTokens(live.userId);
    await db.transaction(async (tx) => {
      const used = await consumeToken(tokenHash, 'reset-password', tx);
      if (!used) throw invalidToken();
      const row = await updateUser(used.userId, { passwordHash }, tx);
      if (!row || row.disabled) throw invalidToken();
      await voidTokens(used.userId, 'reset-password', tx);
      await sessions.revokeAllFor(used.userId, 'password reset', tx);
    });
    logger.info({ userId: live.userId }, 'password reset; every session ended');
  }

  return { request, complete };
}

export type PasswordReset = ReturnType<typeof createPasswordReset>;
