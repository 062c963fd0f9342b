import Redis from 'ioredis';
import {
  answerClientErrors,
  closeGracefully,
  createMailer,
  createPool,
  runMigrations,
  runService,
  startOutboxRelay,
  type Logger,
} from '@market/kit';
import { buildApp } from './app';
import { loadConfig, type AuthConfig } from './config';
import { createDb, MIGRATIONS_FOLDER } from './data/db';
import { registerUserEventsStream } from './data/event-streams';
import { startSessionPruner } from './data/session-pruner';
import { seedConfiguredAdmin } from './domain/admin-accounts';
import { demoAccounts, seedDemoAccounts } from './domain/demo-accounts';
import { createPasswordHasher } from './domain/passwords';
import { resealSecrets } from './domain/reseal-secrets';
import { createSecretBox } from './domain/secret-box';
import { startMailRelay } from './messaging/mail-relay';

async function start(config: AuthConfig, logger: Logger): Promise<void> {
  const pool = createPool(config);
  await runMigrations(config.DATABASE_MIGRATION_URL ?? pool, MIGRATIONS_FOLDER, { logger });
  const db = createDb(pool);
  // Before the seeds: every user change from here on goes to the configured stream.
  await registerUserEventsStream(config.USER_EVENTS_STREAM, db);
  const passwords = createPasswordHasher(config.BCRYPT_COST);
  await resealSecrets(db, createSecretBox(config.TOTP_ENCRYPTION_KEYS), logger);
  await seedConfiguredAdmin({ db, passwords, logger }, config);
  if (config.DEMO_MODE) await seedDemoAccounts({ db, passwords, logger }, demoAccounts(config));

  // No offline queue: while Redis is away, rate-limit calls fail fast to the in-process fallback.
  // Connects in the background, so logins work (and /ready says not ready) while Redis is down at start.
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection problem'));

  // Publishes user.created / user.changed / user.deleted from the outbox to USER_EVENTS_STREAM (one relay per replica is safe:
  // rows are claimed with SKIP LOCKED and consumers dedupe).
  const relay = startOutboxRelay({ pool, logger, redisUrl: config.REDIS_URL, maxLen: config.STREAM_MAXLEN });

  // Password-reset and verification mail from the mail_outbox table (replicas share it: SKIP LOCKED).
  const mailRelay = startMailRelay({
    pool,
    mailer: createMailer(config, logger),
    logger,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    mailFrom: config.MAIL_FROM,
  });

  const app = buildApp({
    config,
    logger,
    pool,
    db,
    redis,
    outboxWritten: () => relay.notify(),
    mailQueued: () => mailRelay.notify(),
  });
  const pruner = startSessionPruner({
    pool,
    logger,
    familyMaxDays: config.REFRESH_FAMILY_MAX_DAYS,
    intervalMs: config.SESSION_PRUNE_INTERVAL_SECONDS * 1000,
  });
  // Refusals of Node's parser (headers over 16 kB, a broken request line) get the envelope too.
  const server = answerClientErrors(
    app.listen(config.PORT, config.HOST, () => {
      logger.info({ host: config.HOST, port: config.PORT, demoMode: config.DEMO_MODE }, 'auth-service listening');
    }),
  );
  closeGracefully(logger, [
    {
      name: 'http',
      close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    },
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'mail relay', close: () => mailRelay.stop() },
    { name: 'session-pruner', close: () => pruner.stop() },
    { name: 'redis', close: () => redis.quit() },
    { name: 'postgres', close: () => pool.end() },
  ]);
}

runService({ name: 'auth-service', loadConfig, start });
