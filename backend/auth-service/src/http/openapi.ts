import {
  AdminUser,
  AdminUserPage,
  authApi,
  DemoLoginRequest,
  JwkSet,
  LoginRequest,
  SignupRequest,
  UpdateUserRequest,
  User,
} from '@market/contracts';
import { buildOpenApiDocument } from '@market/kit';

/** Generated from the contract the routes validate with; served at /api/auth/openapi.json. */
export const openApiDocument = buildOpenApiDocument({
  title: 'Marketplace auth-service',
  description: 'Accounts, sessions in HttpOnly cookies, and the keys other services verify tokens with.',
  security: ['accessCookie', 'refreshCookie', 'csrfHeader'],
  operations: authApi,
  schemas: { User, AdminUser, AdminUserPage, SignupRequest, LoginRequest, DemoLoginRequest, UpdateUserRequest, JwkSet },
});
