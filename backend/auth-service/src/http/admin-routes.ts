import express, { type Router } from 'express';
import type { AuthUser } from '@market/kit';
import { authenticate, requireRole, validate } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { AdminUsers } from '../domain/admin-users';
import { listUsersQuery, updateUserBody, userIdParams } from './schemas';

export function adminRoutes(deps: { adminUsers: AdminUsers; accessTokens: AccessTokens }): Router {
  const router = express.Router();
  const { adminUsers } = deps;
  const caller = (user: AuthUser | undefined) => user as AuthUser;

  router.use('/users', authenticate(deps.accessTokens.verify), requireRole('admin'), async (req, _res, next) => {
    await adminUsers.assertAdmin(caller(req.user).id);
    next();
  });

  router.get('/users', validate({ query: listUsersQuery }), async (req, res) => {
    res.json(await adminUsers.list(req.query as unknown as { page: number; pageSize: number; q?: string }));
  });

  router.patch('/users/:id', validate({ params: userIdParams, body: updateUserBody }), async (req, res) => {
    res.json(await adminUsers.update(caller(req.user).id, String(req.params.id), req.body));
  });

  return router;
}
