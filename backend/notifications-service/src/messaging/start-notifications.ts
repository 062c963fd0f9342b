import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import {
  consumerOptions,
  startInboxPruner,
  startStreamConsumer,
  type InboxPruner,
  type Logger,
  type Mailer,
  type StreamConsumer,
} from '@market/kit';
import type { NotificationsConfig } from '../config';
import type { Db } from '../data/db';
import { keepRecipients } from '../domain/keep-recipients';
import { mailOrderEvents } from '../domain/mail-order-events';

/** The consumer group of this service on both streams it reads. */
const NOTIFICATIONS_GROUP = 'notifications';

export interface Notifications {
  orderEvents: StreamConsumer;
  userEvents: StreamConsumer;
  pruners: InboxPruner[];
  stop(): Promise<void>;
}

/**
 * The notifications worker's loops: group "notifications" on USER_EVENTS_STREAM keeps the copy of
 * the recipients, group "notifications" on ORDER_EVENTS_STREAM sends the mails. Each stream is
 * trimmed by what its own groups consumed, so a slow mailer never holds back the saga's streams.
 */
export function startNotifications(deps: {
  pool: Pool;
  db: Db;
  mailer: Mailer;
  config: NotificationsConfig;
  logger: Logger;
  registry?: Registry;
}): Notifications {
  const { config, logger } = deps;
  const userEvents = startStreamConsumer(
    consumerOptions(config, {
      stream: config.USER_EVENTS_STREAM,
      group: NOTIFICATIONS_GROUP,
      logger,
      registry: deps.registry,
      handleBatch: (entries) => keepRecipients(deps.db, entries),
    }),
  );
  const orderEvents = startStreamConsumer(
    consumerOptions(config, {
      stream: config.ORDER_EVENTS_STREAM,
      group: NOTIFICATIONS_GROUP,
      logger,
      registry: deps.registry,
      handleBatch: (entries) =>
        mailOrderEvents(
          { db: deps.db, mailer: deps.mailer, logger, stream: config.ORDER_EVENTS_STREAM, config },
          entries,
        ),
    }),
  );
  const pruners = [
    startInboxPruner({ pool: deps.pool, logger }),
    startInboxPruner({
      pool: deps.pool,
      logger,
      table: 'sent_mails',
      keyColumn: 'message_id',
      timeColumn: 'sent_at',
      what: 'sent-mail records',
    }),
  ];
  return {
    orderEvents,
    userEvents,
    pruners,
    async stop() {
      for (const pruner of pruners) await pruner.stop();
      await orderEvents.stop();
      await userEvents.stop();
    },
  };
}
