import { encodeUserEventsMessage, MESSAGE_VERSION, type AccountExport } from '@market/contracts';
import { AppError, enqueueOutboxRow, newId, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import { listFamilies } from '../data/session-repository';
import { eraseUser, findUserById, updateUser, type UserRow } from '../data/user-repository';
import type { LoginLimiter } from './login-limiter';
import { passwordProblem, type PasswordHasher } from './passwords';
import type { IssuedSession, Sessions } from './sessions';
import { toUser } from './user-shapes';

const wrongPassword = () => new AppError('INVALID_CREDENTIALS', 'the password is not right', 401);
const sessionEnded = () => new AppError('UNAUTHENTICATED', 'your session is not valid; sign in again');

/**
 * What a signed-in user does to their own account: change the password, take a copy of their
 * data, delete the account. Every step that could hurt the user asks for the password again, and
 * wrong passwords count against the same limiter as sign-in (per account and address).
 */
export function createAccountSettings(deps: {
  db: Db;
  passwords: PasswordHasher;
  sessions: Sessions;
  limiter: LoginLimiter;
  logger: Logger;
  /** Where user.deleted goes (through the outbox). */
  userEventsStream: string;
  /** The configured administrator (ADMIN_EMAIL): it is re-created at every start, so it cannot delete itself. */
  adminEmail: string;
  /** Wakes the outbox relay after a commit that added a row. */
  outboxWritten?: () => void;
}) {
  const { db, passwords, sessions, limiter, logger } = deps;

  async function confirmPassword(userId: string, password: string, ip: string): Promise<UserRow> {
    const row = await findUserById(userId, db);
    if (!row || row.disabled) throw sessionEnded();
    await limiter.consumeAttempt(ip, row.email);
    if (!(await passwords.verify(password, row.passwordHash))) {
      logger.warn({ userId, ip }, 'account change refused: wrong password');
      throw wrongPassword();
    }
    await limiter.recordSuccess(ip, row.email);
    return row;
  }

  /** Ends every session of the user (access tokens within a second), this one too, and starts a new one for the caller. */
  async function changePassword(input: {
    userId: string;
    currentPassword: string;
    newPassword: string;
    ip: string;
  }): Promise<IssuedSession> {
    const problem = passwordProblem(input.newPassword);
    if (problem) throw new AppError('VALIDATION_FAILED', problem, 400, [{ field: 'newPassword', message: problem }]);
    if (input.newPassword === input.currentPassword) {
      const message = 'choose a password different from the current one';
      throw new AppError('VALIDATION_FAILED', message, 400, [{ field: 'newPassword', message }]);
    }
    await confirmPassword(input.userId, input.currentPassword, input.ip);
    const passwordHash = await passwords.hash(input.newPassword);
    // Redis first (as logout everywhere does): if the access tokens cannot be ended, nothing changes (503).
    await sessions.expireAccessTokens(input.userId);
    const session = await db.transaction(async (tx) => {
      const row = await updateUser(input.userId, { passwordHash }, tx);
      if (!row || row.disabled) throw sessionEnded();
      await sessions.revokeAllFor(input.userId, 'password changed', tx);
      return sessions.start(toUser(row), tx);
    });
    logger.info({ userId: input.userId }, 'password changed; other sessions ended');
    return session;
  }

  async function exportData(userId: string): Promise<AccountExport> {
    const row = await findUserById(userId, db);
    if (!row || row.disabled) throw sessionEnded();
    const families = await listFamilies(userId, db);
    return {
      exportedAt: new Date().toISOString(),
      account: { ...toUser(row), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() },
      sessions: families.map((f) => ({
        startedAt: f.createdAt.toISOString(),
        endedAt: f.revokedAt?.toISOString() ?? null,
        endedBecause: f.revokedReason,
      })),
    };
  }

  /**
   * Erases the account's personal data and ends its sessions; user.deleted, committed in the same
   * transaction, tells the other services to erase theirs (addresses, cart, order snapshots).
   */
  async function deleteAccount(input: { userId: string; password: string; ip: string }): Promise<void> {
    const row = await confirmPassword(input.userId, input.password, input.ip);
    if (row.email === deps.adminEmail) {
      throw new AppError(
        'CONFLICT',
        'the configured administrator account cannot be deleted; change ADMIN_EMAIL first',
        409,
      );
    }
    await sessions.expireAccessTokens(input.userId);
    await db.transaction(async (tx) => {
      if (!(await eraseUser(input.userId, tx))) throw sessionEnded();
      await sessions.revokeAllFor(input.userId, 'account deleted', tx);
      await enqueueOutboxRow(
        tx,
        deps.userEventsStream,
        encodeUserEventsMessage({
          version: MESSAGE_VERSION,
          event_id: newId(),
          type: 'user.deleted',
          user_id: input.userId,
          occurred_at: new Date().toISOString(),
        }),
      );
    });
    deps.outboxWritten?.();
    logger.info({ userId: input.userId }, 'account deleted');
  }

  return { changePassword, exportData, deleteAccount };
}

export type AccountSettings = ReturnType<typeof createAccountSettings>;
