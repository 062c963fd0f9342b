import { Redis } from 'ioredis';
import type { Logger } from '@market/kit';

export type StatusListener = () => void;

export interface StatusNotifier {
  /** An order's status changed here: tell local listeners now and every replica through Redis. */
  changed(orderId: string): void;
  /** Calls `listener` whenever the order changes on any replica; returns the unsubscribe. */
  subscribe(orderId: string, listener: StatusListener): () => void;
  /** How many local listeners are subscribed now (each open SSE stream holds one). */
  listening(): number;
  close(): Promise<void>;
}

/** The pub/sub channel replicas announce status changes on, derived from the orders stream name. */
export const statusChannel = (ordersStream: string) => `${ordersStream}:order-status`;

/**
 * Cross-replica status notifications over Redis pub/sub: the replica that applied a change
 * PUBLISHes the order id; each replica SUBSCRIBEs on its own connection and wakes its local
 * SSE clients, which read the fresh state from the database. Pub/sub is best effort: a
 * missed note is caught up by the SSE heartbeat's re-read.
 */
export function createStatusNotifier(options: { redisUrl: string; channel: string; logger: Logger }): StatusNotifier {
  const log = options.logger.child({ component: 'status-notifier' });
  const listeners = new Map<string, Set<StatusListener>>();
  const publisher = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null, connectionName: 'orders-status-subscriber' });
  publisher.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  subscriber.subscribe(options.channel).catch((err: unknown) => log.warn({ err }, 'cannot subscribe yet; ioredis retries on reconnect'));

  function emit(orderId: string): void {
    for (const listener of listeners.get(orderId) ?? []) {
      try {
        listener();
      } catch (err) {
        log.error({ err, orderId }, 'status listener failed');
      }
    }
  }

  subscriber.on('message', (channel: string, orderId: string) => {
    if (channel === options.channel) emit(orderId);
  });

  return {
    changed(orderId) {
      emit(orderId);
      publisher.publish(options.channel, orderId).catch((err: unknown) => log.debug({ err, orderId }, 'status publish failed'));
    },
    subscribe(orderId, listener) {
      const set = listeners.get(orderId) ?? new Set();
      set.add(listener);
      listeners.set(orderId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(orderId);
      };
    },
    listening() {
      let total = 0;
      for (const set of listeners.values()) total += set.size;
      return total;
    },
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
