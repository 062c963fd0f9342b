import cookieParser from 'cookie-parser';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import {
  requireJsonBody,
  createObservability,
  createSessionRevocations,
  csrfProtection,
  expressErrorHandler,
  expressNotFound,
  jsonBody,
  observabilityRoutes,
  requestLogging,
  type Logger,
} from '@market/kit';
import type { AuthConfig } from './config';
import type { Db } from './data/db';
import { createAccessTokens } from './domain/access-tokens';
import { createAccountSettings } from './domain/account-settings';
import { createAccounts } from './domain/accounts';
import { createAdminUsers } from './domain/admin-users';
import { createLoginLimiter } from './domain/login-limiter';
import { createAddressLimiter } from './domain/rate-limits';
import { createPasswordHasher } from './domain/passwords';
import { createEmailVerification } from './domain/email-verification';
import { createPasswordReset } from './domain/password-reset';
import { createChallenges } from './domain/second-step-challenges';
import { createSecretBox } from './domain/secret-box';
import { createSessions } from './domain/sessions';
import { createTwoFactor } from './domain/two-factor';
import { createEmailPreferences } from './domain/email-preferences';
import { accountRoutes } from './http/account-routes';
import { adminRoutes } from './http/admin-routes';
import { emailPreferenceRoutes } from './http/email-preference-routes';
import { authRoutes } from './http/auth-routes';
import { discoveryRoutes } from './http/discovery-routes';
import { mailRoutes } from './http/mail-routes';
import { twoFactorRoutes } from './http/two-factor-routes';

export interface AppDeps {
  config: AuthConfig;
  logger: Logger;
  pool: Pool;
  db: Db;
  redis: Redis;
  /** The relay publishing the outbox (start.ts runs it); woken after a commit that added a row. */
  outboxWritten?: () => void;
  /** The mail relay (start.ts runs it); woken after a commit that queued mail. */
  mailQueued?: () => void;
}

const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

export function buildApp(deps: AppDeps): Express {
  const { config, logger, pool, db, redis } = deps;
  const passwords = createPasswordHasher(config.BCRYPT_COST);
  const observability = createObservability('auth-service', {
    postgres: () => pool.query('select 1'),
    redis: () => redis.ping(),
  });
  const revocations = createSessionRevocations({ redis, logger, registry: observability.registry });
  const accessTokens = createAccessTokens({
    privateKeyPem: config.JWT_PRIVATE_KEY,
    keyId: config.JWT_KEY_ID,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    revocations,
    acceptPlainCookie: config.NODE_ENV !== 'production',
  });
  const sessions = createSessions({
    db,
    accessTokens,
    revocations,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    familyMaxDays: config.REFRESH_FAMILY_MAX_DAYS,
    reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
    logger,
  });
  const limiter = createLoginLimiter({
    redis,
    prefix: config.RATE_LIMIT_PREFIX,
    perIp: config.LOGIN_RATE_LIMIT_PER_IP,
    perAccount: config.LOGIN_RATE_LIMIT_PER_ACCOUNT,
    windowSeconds: config.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
  });
  const limits = {
    signup: createAddressLimiter({
      redis,
      prefix: config.RATE_LIMIT_PREFIX,
      name: 'signup:ip',
      what: 'sign-ups from this address',
      points: config.SIGNUP_RATE_LIMIT_PER_IP,
      windowSeconds: config.SIGNUP_RATE_LIMIT_WINDOW_SECONDS,
    }),
    refresh: createAddressLimiter({
      redis,
      prefix: config.RATE_LIMIT_PREFIX,
      name: 'refresh:ip',
      what: 'session refreshes from this address',
      points: config.REFRESH_RATE_LIMIT_PER_IP,
      windowSeconds: config.REFRESH_RATE_LIMIT_WINDOW_SECONDS,
    }),
  };
  const challenges = createChallenges({
    privateKeyPem: config.JWT_PRIVATE_KEY,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    redis,
  });
  const twoFactor = createTwoFactor({
    db,
    redis,
    logger,
    secrets: createSecretBox(config.TOTP_ENCRYPTION_KEYS),
    issuer: config.TOTP_ISSUER,
    limits: {
      prefix: config.RATE_LIMIT_PREFIX,
      perUser: config.LOGIN_RATE_LIMIT_PER_ACCOUNT,
      perIp: config.LOGIN_RATE_LIMIT_PER_IP,
      windowSeconds: config.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
    },
    requiredForAdmins: config.TOTP_REQUIRED_FOR_ADMINS,
    exemptAdminEmail: config.TOTP_EXEMPT_ADMIN_EMAIL || undefined,
  });
  const mailLimits = { prefix: config.RATE_LIMIT_PREFIX, windowSeconds: config.MAIL_RATE_LIMIT_WINDOW_SECONDS };
  const verification = createEmailVerification({
    db,
    redis,
    logger,
    limits: { ...mailLimits, perAccount: config.VERIFICATION_MAIL_RATE_LIMIT_PER_ACCOUNT },
    mailQueued: deps.mailQueued,
  });
  const passwordReset = createPasswordReset({
    db,
    redis,
    passwords,
    sessions,
    logger,
    limits: {
      ...mailLimits,
      perIp: config.RESET_MAIL_RATE_LIMIT_PER_IP,
      perEmail: config.RESET_MAIL_RATE_LIMIT_PER_EMAIL,
    },
    mailQueued: deps.mailQueued,
  });
  const accounts = createAccounts({ db, passwords, sessions, limiter, twoFactor, challenges, logger, verification });
  const adminUsers = createAdminUsers({ db, sessions, logger });
  const settings = createAccountSettings({
    db,
    passwords,
    sessions,
    limiter,
    logger,
    userEventsStream: config.USER_EVENTS_STREAM,
    adminEmail: config.ADMIN_EMAIL,
    outboxWritten: deps.outboxWritten,
  });
  const preferences = createEmailPreferences({
    db,
    logger,
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    outboxWritten: deps.outboxWritten,
  });
  const { router: observabilityRouter, measure } = observabilityRoutes(observability);
  const cookies = {
    secure: config.COOKIE_SECURE,
    acceptPlain: config.NODE_ENV !== 'production',
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  };

  const app = express();
  // The client address comes from X-Forwarded-For only when nginx sits on this host or on the
  // private container network; the per-IP login limit depends on it.
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(requestLogging(logger));
  app.use(helmet());
  app.use(measure);
  app.use(observabilityRouter);
  app.use(
    '/api/auth',
    noStore,
    cookieParser(),
    csrfProtection,
    requireJsonBody,
    jsonBody('100kb'),
    discoveryRoutes({ accessTokens }),
    authRoutes({ accounts, sessions, accessTokens, cookies, limits, demoMode: config.DEMO_MODE }),
    twoFactorRoutes({ accounts, twoFactor, challenges, accessTokens, cookies }),
    accountRoutes({ settings, accessTokens, cookies }),
    mailRoutes({ passwordReset, verification, accessTokens }),
    emailPreferenceRoutes({ preferences, accessTokens }),
    adminRoutes({ adminUsers, accessTokens }),
  );
  app.use(expressNotFound);
  app.use(expressErrorHandler(logger));
  return app;
}
