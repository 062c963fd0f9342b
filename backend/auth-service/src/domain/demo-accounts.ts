import { randomBytes } from 'node:crypto';
import { DEMO_USERS, type Role } from '@market/contracts';
import type { Logger } from '@market/kit';
import { uniqueViolation, type Db } from '../data/db';
import { findUserById, insertUser, updateUser } from '../data/user-repository';
import type { PasswordHasher } from './passwords';

interface SeedAccount {
  id: string;
  username: string;
  email: string;
  role: Role;
  /** Null for an account that owns demo products but never signs in. */
  password: string | null;
}

/** Makes one account look exactly as configured; re-hashes only when the password changed. */
async function upsertAccount(
  db: Db,
  passwords: PasswordHasher,
  account: SeedAccount,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await findUserById(account.id, db);
  const passwordStillValid =
    account.password === null
      ? existing !== undefined
      : await passwords.verify(account.password, existing?.passwordHash);
  const passwordHash =
    passwordStillValid && existing
      ? existing.passwordHash
      : await passwords.hash(account.password ?? randomBytes(32).toString('base64url'));
  const wanted = {
    username: account.username,
    email: account.email,
    role: account.role,
    passwordHash,
    disabled: account.password === null,
    // Demo accounts have no mailbox; they order and sell from the start.
    emailVerified: true,
  };
  if (!existing) {
    await insertUser({ id: account.id, ...wanted }, db);
    return 'created';
  }
  const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => existing[key] === wanted[key]);
  if (same) return 'unchanged';
  await updateUser(account.id, wanted, db);
  return 'updated';
}

/** The demo buyer and sellers (DEMO_MODE only). The admin is no demo account: see admin-accounts.ts. */
export function demoAccounts(config: { DEMO_BUYER_PASSWORD: string; DEMO_SELLER_PASSWORD: string }): SeedAccount[] {
  return [
    { ...DEMO_USERS.buyer, role: 'buyer', password: config.DEMO_BUYER_PASSWORD },
    { ...DEMO_USERS.seller, role: 'seller', password: config.DEMO_SELLER_PASSWORD },
    {
      ...DEMO_USERS.otherSeller,
      email: `${DEMO_USERS.otherSeller.username}@demo.local`,
      role: 'seller',
      password: null,
    },
  ];
}

/** Idempotent: safe on every start and from several replicas (a lost insert race is retried as an update). */
export async function seedDemoAccounts(
  deps: { db: Db; passwords: PasswordHasher; logger: Logger },
  accounts: SeedAccount[],
): Promise<void> {
  for (const account of accounts) {
    let outcome: Awaited<ReturnType<typeof upsertAccount>>;
    try {
      outcome = await upsertAccount(deps.db, deps.passwords, account);
    } catch (error) {
      if (uniqueViolation(error) !== 'users_pkey') throw error;
      outcome = await upsertAccount(deps.db, deps.passwords, account);
    }
    deps.logger.info({ userId: account.id, username: account.username, outcome }, 'demo account seeded');
  }
}
