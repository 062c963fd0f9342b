import type { Logger } from '@market/kit';
import { uniqueViolation, type Db } from '../data/db';
import { findUserByEmail, insertUser, updateUser } from '../data/user-repository';
import type { PasswordHasher } from './passwords';

/** The username of the admin seeded from ADMIN_EMAIL/ADMIN_PASSWORD, when its account is new. */
const SEEDED_ADMIN_USERNAME = 'admin';

export type AdminOutcome = 'created' | 'updated' | 'unchanged';

/** The admin's email is new but its username belongs to another account. */
class UsernameTakenError extends Error {}

/**
 * The operator's path to an admin (the create-admin CLI, and ADMIN_EMAIL/ADMIN_PASSWORD at start):
 * makes `email` an enabled admin whose password is `password`, creating the account as `username`
 * when there is none. Idempotent (the password is hashed again only when it changed) and safe from
 * several replicas at once: an insert that lost the race to another one is retried as an update.
 */
export async function upsertAdmin(
  deps: { db: Db; passwords: PasswordHasher },
  input: { email: string; username: string; password: string },
): Promise<{ id: string; outcome: AdminOutcome }> {
  const email = input.email.toLowerCase();
  for (let attempt = 1; ; attempt += 1) {
    const existing = await findUserByEmail(email, deps.db);
    if (existing) {
      const samePassword = await deps.passwords.verify(input.password, existing.passwordHash);
      if (existing.role === 'admin' && !existing.disabled && existing.emailVerified && samePassword)
        return { id: existing.id, outcome: 'unchanged' };
      const passwordHash = samePassword ? existing.passwordHash : await deps.passwords.hash(input.password);
      await updateUser(existing.id, { role: 'admin', disabled: false, passwordHash, emailVerified: true }, deps.db);
      return { id: existing.id, outcome: 'updated' };
    }
    try {
      const row = await insertUser(
        {
          email,
          username: input.username,
          role: 'admin',
          passwordHash: await deps.passwords.hash(input.password),
          // The operator names the admin's address; no link to open first.
          emailVerified: true,
        },
        deps.db,
      );
      return { id: row.id, outcome: 'created' };
    } catch (error) {
      const constraint = uniqueViolation(error);
      // Another replica may have inserted the same admin meanwhile: look again once.
      if (constraint && attempt === 1) continue;
      if (constraint === 'users_username_unique')
        throw new UsernameTakenError(`the username ${input.username} is taken by another account; choose another`);
      throw error;
    }
  }
}

/**
 * At start, in every mode: with ADMIN_PASSWORD set, the admin ADMIN_EMAIL exists, enabled, with
 * that password. A new ADMIN_EMAIL whose account cannot be named `admin` (another account is) is
 * logged, not fatal: the service still starts, and the operator names the admin with create-admin.
 */
export async function seedConfiguredAdmin(
  deps: { db: Db; passwords: PasswordHasher; logger: Logger },
  config: { ADMIN_EMAIL: string; ADMIN_PASSWORD?: string },
): Promise<void> {
  if (!config.ADMIN_PASSWORD) return;
  try {
    const { id, outcome } = await upsertAdmin(deps, {
      email: config.ADMIN_EMAIL,
      username: SEEDED_ADMIN_USERNAME,
      password: config.ADMIN_PASSWORD,
    });
    deps.logger.info({ userId: id, outcome }, 'configured admin seeded');
  } catch (error) {
    if (!(error instanceof UsernameTakenError)) throw error;
    deps.logger.error(
      { email: config.ADMIN_EMAIL, reason: error.message },
      'configured admin not seeded; create it with create-admin',
    );
  }
}
