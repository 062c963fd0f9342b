import type { AdminUser, User } from '@market/contracts';
import type { UserRow } from '../data/user-repository';

/** The public shape: never the hash, never the disabled flag. */
export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, email: row.email, role: row.role, emailVerified: row.emailVerified };
}

export function toAdminUser(row: UserRow): AdminUser {
  return { ...toUser(row), disabled: row.disabled, createdAt: row.createdAt.toISOString() };
}
