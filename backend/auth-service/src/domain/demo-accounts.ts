import { randomBytes } from 'node:crypto';
import { DEMO_USERS, type Role } from '@market/contracts';
import type { Logger } from '@market/kit';
import { uniqueViolation, type Db } from '../data/db';
import { findUserByEmail, findUserById, insertUser, updateUser } from '../data/user-repository';
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
async function upsertAccount(db: Db, passwords: PasswordHasher, account: SeedAccount): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await findUserById(account.id, db);
  const passwordStillValid = account.password === null ? existing !== undefined : await passwords.verify(account.password, existing?.passwordHash);
  const passwordHash = passwordStillValid && existing ? existing.passwordHash : await passwords.hash(account.password ?? randomBytes(32).toString('base64url'));
  const wanted = { username: account.username, email: account.email, role: account.role, passwordHash, disabled: account.password === null };
  if (!existing) {
    await insertUser({ id: account.id, ...wanted }, db);
    return 'created';
  }
  const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => existing[key] === wanted[key]);
  if (same) return 'unchanged';
  await updateUser(account.id, wanted, db);
  return 'updated';
}

export function demoAccounts(config: { DEMO_BUYER_PASSWORD: string; DEMO_SELLER_PASSWORD: string; ADMIN_EMAIL: string; ADMIN_PASSWORD?: string }): SeedAccount[] {
  const accounts: SeedAccount[] = [
    { ...DEMO_USERS.buyer, role: 'buyer', password: config.DEMO_BUYER_PASSWORD },
    { ...DEMO_USERS.seller, role: 'seller', password: config.DEMO_SELLER_PASSWORD },
    { ...DEMO_USERS.otherSeller, email: `${DEMO_USERS.otherSeller.username}@demo.local`, role: 'seller', password: null },
  ];
  if (config.ADMIN_PASSWORD) accounts.push({ ...DEMO_USERS.admin, email: config.ADMIN_EMAIL, role: 'admin', password: config.ADMIN_PASSWORD });
  return accounts;
}

/** Idempotent: safe on every start and from several replicas (a lost insert race is retried as an update). */
export async function seedDemoAccounts(deps: { db: Db; passwords: PasswordHasher; logger: Logger }, accounts: SeedAccount[]): Promise<void> {
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

/** Operator path: makes `email` an enabled admin with `password`, creating the account if needed. */
export async function upsertAdmin(deps: { db: Db; passwords: PasswordHasher }, input: { email: string; username: string; password: string }) {
  const email = input.email.toLowerCase();
  const passwordHash = await deps.passwords.hash(input.password);
  const existing = await findUserByEmail(email, deps.db);
  if (existing) {
    await updateUser(existing.id, { role: 'admin', disabled: false, passwordHash }, deps.db);
    return { id: existing.id, created: false };
  }
  try {
    const row = await insertUser({ email, username: input.username, role: 'admin', passwordHash }, deps.db);
    return { id: row.id, created: true };
  } catch (error) {
    if (uniqueViolation(error)) throw new Error(`the username ${input.username} is taken; choose another`);
    throw error;
  }
}
