import type { SecondStepRequired, SignupRole, User } from '@market/contracts';
import { AppError, type Logger } from '@market/kit';
import { uniqueViolation, type Db } from '../data/db';
import { findUserByEmail, findUserById, insertUser } from '../data/user-repository';
import type { LoginLimiter } from './login-limiter';
import { passwordProblem, type PasswordHasher } from './passwords';
import { CHALLENGE_TTL_SECONDS, type Challenges } from './second-step-challenges';
import type { IssuedSession, Sessions } from './sessions';
import type { EmailVerification } from './email-verification';
import type { TwoFactor } from './two-factor';
import { toUser } from './user-shapes';

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'email or password is incorrect');
const disabledAccount = () => new AppError('FORBIDDEN', 'this account is disabled; contact an administrator');

export function createAccounts(deps: {
  db: Db;
  passwords: PasswordHasher;
  sessions: Sessions;
  limiter: LoginLimiter;
  twoFactor: Pick<TwoFactor, 'secondStepFor'>;
  challenges: Challenges;
  logger: Logger;
  verification: Pick<EmailVerification, 'issue' | 'mailQueued'>;
}) {
  const { db, passwords, sessions, limiter, twoFactor, challenges, logger, verification } = deps;

  /** `email` arrives lower-cased from validation. */
  async function signup(input: {
    username: string;
    email: string;
    password: string;
    role: SignupRole;
  }): Promise<IssuedSession> {
    const problem = passwordProblem(input.password);
    if (problem) throw new AppError('VALIDATION_FAILED', problem, 400, [{ field: 'password', message: problem }]);
    const passwordHash = await passwords.hash(input.password);
    const session = await db.transaction(async (tx) => {
      let user: User;
      try {
        user = toUser(
          await insertUser({ username: input.username, email: input.email, passwordHash, role: input.role }, tx),
        );
      } catch (error) {
        // One answer for either, naming neither: the sign-up form cannot tell an attacker which
        // emails have accounts (README, Security).
        const constraint = uniqueViolation(error);
        if (constraint === 'users_email_unique' || constraint === 'users_username_unique')
          throw new AppError('CONFLICT', 'that email or username cannot be used', 409);
        throw error;
      }
      logger.info({ userId: user.id, role: user.role }, 'account created');
      await verification.issue(user, tx);
      return sessions.start(user, tx);
    });
    verification.mailQueued();
    return session;
  }

  /**
   * Same answer and the same bcrypt work for an unknown email and a wrong password. A right one
   * starts a session, unless the account has a second step (two-factor sign-in): then the caller
   * gets a challenge for it instead of cookies.
   */
  async function login(input: {
    email: string;
    password: string;
    ip: string;
  }): Promise<{ session: IssuedSession } | { secondStep: SecondStepRequired }> {
    await limiter.consumeAttempt(input.ip, input.email);
    const row = await findUserByEmail(input.email, db);
    const matches = await passwords.verify(input.password, row?.passwordHash);
    if (!row || !matches) {
      logger.warn({ ip: input.ip, reason: row ? 'wrong password' : 'unknown email' }, 'sign-in failed');
      throw invalidCredentials();
    }
    if (row.disabled) throw disabledAccount();
    await limiter.recordSuccess(input.ip, input.email);
    const user = toUser(row);
    const step = await twoFactor.secondStepFor(user);
    if (step) {
      logger.info({ userId: row.id, step }, 'password accepted; second step required');
      return {
        secondStep: {
          secondStep: step,
          challenge: challenges.issue(row.id, step),
          expiresInSeconds: CHALLENGE_TTL_SECONDS,
        },
      };
    }
    logger.info({ userId: row.id }, 'signed in');
    return { session: await sessions.start(user) };
  }

  /** Signs in as an account whose proof was checked elsewhere (a demo account, a second step). */
  async function loginAs(userId: string, how = 'demo account'): Promise<IssuedSession> {
    const row = await findUserById(userId, db);
    if (!row) throw new AppError('NOT_FOUND', 'the account does not exist');
    if (row.disabled) throw disabledAccount();
    logger.info({ userId: row.id, how }, 'signed in');
    return sessions.start(toUser(row));
  }

  /** The current state of the caller's account; a deleted or disabled account ends the session. */
  async function me(userId: string): Promise<User> {
    const row = await findUserById(userId, db);
    if (!row || row.disabled) throw new AppError('UNAUTHENTICATED', 'your session is not valid; sign in again');
    return toUser(row);
  }

  return { signup, login, loginAs, me };
}

export type Accounts = ReturnType<typeof createAccounts>;
