import type { AdminUser, Page, UpdateUserRequest } from '@market/contracts';
import { AppError, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import { findUserById, listUsers, updateUser } from '../data/user-repository';
import type { Sessions } from './sessions';
import { toAdminUser } from './user-shapes';

export function createAdminUsers(deps: { db: Db; sessions: Sessions; logger: Logger }) {
  const { db, sessions, logger } = deps;

  /** Admin rights are read from the database, not only the token, so a demoted admin loses them at once. */
  async function assertAdmin(userId: string): Promise<void> {
    const caller = await findUserById(userId, db);
    if (!caller || caller.disabled || caller.role !== 'admin')
      throw new AppError('FORBIDDEN', 'this needs the admin role');
  }

  async function list(query: { page: number; pageSize: number; q?: string }): Promise<Page<AdminUser>> {
    const { rows, total } = await listUsers(
      { offset: (query.page - 1) * query.pageSize, limit: query.pageSize, search: query.q },
      db,
    );
    return {
      data: rows.map(toAdminUser),
      pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) },
    };
  }

  async function update(adminId: string, userId: string, patch: UpdateUserRequest): Promise<AdminUser> {
    if (adminId === userId && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
      throw new AppError('FORBIDDEN', 'you cannot disable or demote your own account');
    }
    const before = await findUserById(userId, db);
    if (!before) throw new AppError('NOT_FOUND', 'no such user');
    // The access tokens first: a disabled user's, or one carrying the old role, are refused everywhere
    // within a second. Should the update then fail, the user only refreshes once more.
    const disabling = patch.disabled === true && !before.disabled;
    if (disabling || (patch.role !== undefined && patch.role !== before.role))
      await sessions.expireAccessTokens(userId);
    const row = await db.transaction(async (tx) => {
      const updated = await updateUser(userId, { role: patch.role, disabled: patch.disabled }, tx);
      if (updated?.disabled) await sessions.revokeAllFor(userId, 'disabled', tx);
      return updated;
    });
    if (!row) throw new AppError('NOT_FOUND', 'no such user');
    logger.info({ adminId, userId, role: patch.role, disabled: patch.disabled }, 'user updated by admin');
    return toAdminUser(row);
  }

  return { assertAdmin, list, update };
}

export type AdminUsers = ReturnType<typeof createAdminUsers>;
