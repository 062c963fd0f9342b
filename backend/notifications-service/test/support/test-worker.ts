import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import {
  encodeOrderEventsMessage,
  encodeUserEventsMessage,
  MESSAGE_VERSION,
  type OrderEventSeller,
  type OrderStatusChanged,
} from '@market/contracts';
import { createMailer, type Mailer } from '@market/kit';
import {
  captureLogs,
  createMigratedTestDatabase,
  startTestSmtpServer,
  uniqueSuffix,
  type TestSmtpServer,
} from '@market/kit/testing';
import { loadConfig, type NotificationsConfig } from '../../src/config';
import { createDb, MIGRATIONS_FOLDER, type Db } from '../../src/data/db';
import { startNotifications, type Notifications } from '../../src/messaging/start-notifications';

export const UNSUBSCRIBE_SECRET = 'notifications-test-secret-0123456789abcdef';

export interface TestWorker {
  config: NotificationsConfig;
  pool: Pool;
  db: Db;
  redis: Redis;
  smtp: TestSmtpServer;
  notifications: Notifications;
  logs: string[];
  /** Announces an account the way auth-service does (user.created), so the worker knows where to write. */
  announce(user: Partial<Person> & { id?: string }): Promise<Person>;
  publishOrderEvent(event: Partial<OrderStatusChanged>): Promise<OrderStatusChanged>;
  close(): Promise<void>;
}

export interface Person {
  id: string;
  email: string;
  username: string;
  saleEmails: boolean;
  orderEmails: boolean;
}

/** A migrated throwaway database, streams of its own, a real SMTP server on loopback and the worker's loops on them. */
export async function startTestWorker(env: Record<string, string> = {}): Promise<TestWorker> {
  const { database, pool, env: testEnv } = await createMigratedTestDatabase('notifications', MIGRATIONS_FOLDER);
  const smtp = await startTestSmtpServer();
  const suffix = uniqueSuffix();
  const config = loadConfig({
    ...testEnv,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Marketplace <no-reply@shop.test>',
    PUBLIC_BASE_URL: 'https://shop.test',
    UNSUBSCRIBE_SECRET,
    ORDER_EVENTS_STREAM: `test:${suffix}:order_events_stream`,
    USER_EVENTS_STREAM: `test:${suffix}:user_events_stream`,
    CONSUMER_NAME: `notifications-test-${suffix}`,
    STREAM_BLOCK_MS: '200',
    STREAM_CLAIM_IDLE_MS: '5000',
    ...env,
  });
  const db = createDb(pool);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const logs = captureLogs('notifications-worker');
  const mailer: Mailer = createMailer(config, logs.logger);
  const notifications = startNotifications({ pool, db, mailer, config, logger: logs.logger });

  return {
    config,
    pool,
    db,
    redis,
    smtp,
    notifications,
    logs: logs.lines,
    async announce(user) {
      const person: Person = {
        id: user.id ?? randomUUID(),
        email: user.email ?? `person-${uniqueSuffix()}@example.test`,
        username: user.username ?? `person-${uniqueSuffix()}`,
        saleEmails: user.saleEmails ?? true,
        orderEmails: user.orderEmails ?? true,
      };
      const fields = encodeUserEventsMessage({
        version: MESSAGE_VERSION,
        event_id: randomUUID(),
        // A known id is a change of an account announced before.
        type: user.id ? 'user.changed' : 'user.created',
        user_id: person.id,
        email: person.email,
        username: person.username,
        role: 'buyer',
        sale_emails: String(person.saleEmails) as 'true' | 'false',
        order_emails: String(person.orderEmails) as 'true' | 'false',
        occurred_at: new Date().toISOString(),
      });
      await redis.xadd(config.USER_EVENTS_STREAM, '*', ...Object.entries(fields).flat());
      return person;
    },
    async publishOrderEvent(partial) {
      const event: OrderStatusChanged = {
        type: 'order.status_changed',
        version: MESSAGE_VERSION,
        event_id: randomUUID(),
        order_id: randomUUID(),
        correlation_id: 'test-correlation',
        occurred_at: new Date().toISOString(),
        buyer_id: randomUUID(),
        status: 'COMPLETED',
        reason: '',
        total: '10.00',
        sellers: [],
        ...partial,
      };
      await redis.xadd(config.ORDER_EVENTS_STREAM, '*', ...Object.entries(encodeOrderEventsMessage(event)).flat());
      return event;
    },
    async close() {
      await notifications.stop();
      mailer.close();
      await smtp.close();
      await redis.del(
        config.ORDER_EVENTS_STREAM,
        `${config.ORDER_EVENTS_STREAM}:dead`,
        config.USER_EVENTS_STREAM,
        `${config.USER_EVENTS_STREAM}:dead`,
      );
      redis.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

export const sellerLines = (sellerId: string, names: string[]): OrderEventSeller => ({
  seller_id: sellerId,
  lines: names.map((name, i) => ({
    product_id: randomUUID(),
    product_name: name,
    quantity: i + 1,
    unit_price: '5.00',
  })),
});
