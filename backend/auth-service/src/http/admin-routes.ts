import express, { type Router } from 'express';
import type { UpdateUserRequest } from '@market/contracts';
import type { AuthUser } from '@market/kit';
import { authenticate, requireRole, validate } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { AdminUsers } from '../domain/admin-users';
import { validators } from './schemas';

export function adminRoutes(deps: { adminUsers: AdminUsers; accessTokens: AccessTokens }): Router {
  const router = express.Router();
  const { adminUsers } = deps;
  const caller = (user: AuthUser | undefined) => user as AuthUser;

  router.use('/users', authenticate(deps.accessTokens.verify), requireRole('admin'), async (req, _res, next) => {
    await adminUsers.assertAdmin(caller(req.user).id);
    next();
  });

  router.get('/users', validate(validators.listUsers), async (req, res) => {
    res.json(await adminUsers.list(req.query as unknown as { page: number; pageSize: number; q?: string }));
  });

  router.patch('/users/:id', validate(validators.updateUser), async (req, res) => {
    res.json(await adminUsers.update(caller(req.user).id, String(req.params.id), req.body as UpdateUserRequest));
  });

  return router;
}
