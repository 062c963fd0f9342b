import { and, count, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { likePattern } from '@market/kit';
import type { Tx } from './db';
import { users, type NewUserRow, type UserRow } from './schema';

export type { UserRow } from './schema';

export async function insertUser(user: NewUserRow, tx: Tx): Promise<UserRow> {
  const [row] = await tx.insert(users).values(user).returning();
  return row as UserRow;
}

export async function findUserById(id: string, tx: Tx): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  return row;
}

/** `email` must already be lower-case (the column stores it so). */
export async function findUserByEmail(email: string, tx: Tx): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.email, email));
  return row;
}

export async function updateUser(
  id: string,
  patch: Partial<Pick<UserRow, 'username' | 'email' | 'passwordHash' | 'role' | 'disabled' | 'emailVerified'>>,
  tx: Tx,
): Promise<UserRow | undefined> {
  const [row] = await tx
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Sets the email preferences named (the others stay); undefined when there is no such user. */
export async function updateEmailPreferences(
  id: string,
  patch: { saleEmails?: boolean | undefined; orderEmails?: boolean | undefined },
  tx: Tx,
): Promise<UserRow | undefined> {
  const set: Partial<Pick<UserRow, 'saleEmails' | 'orderEmails'>> = {};
  if (patch.saleEmails !== undefined) set.saleEmails = patch.saleEmails;
  if (patch.orderEmails !== undefined) set.orderEmails = patch.orderEmails;
  const [row] = await tx
    .update(users)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/**
 * Erases what identifies a person: the email and username become placeholders derived from the id
 * (unique, never shown as anyone's), the password can no longer match, the account is disabled.
 */
export async function eraseUser(id: string, tx: Tx): Promise<UserRow | undefined> {
  const [row] = await tx
    .update(users)
    .set({
      username: sql`'deleted-' || replace(${users.id}::text, '-', '')`,
      email: sql`'deleted-' || ${users.id}::text || '@deleted.invalid'`,
      passwordHash: '!',
      disabled: true,
      deletedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(users.id, id), isNull(users.deletedAt)))
    .returning();
  return row;
}

export async function listUsers(
  options: { offset: number; limit: number; search?: string },
  tx: Tx,
): Promise<{ rows: UserRow[]; total: number }> {
  const pattern = options.search ? likePattern(options.search) : undefined;
  const where = pattern ? or(ilike(users.email, pattern), ilike(users.username, pattern)) : undefined;
  const rows = await tx
    .select()
    .from(users)
    .where(where)
    .orderBy(desc(users.createdAt), users.id)
    .offset(options.offset)
    .limit(options.limit);
  const [totals] = await tx.select({ total: count() }).from(users).where(where);
  return { rows, total: totals?.total ?? 0 };
}
