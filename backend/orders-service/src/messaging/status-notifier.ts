import { Redis } from 'ioredis';
import type { Order } from '@market/contracts';
import type { Logger } from '@market/kit';

/** Called with the order as it now is when the change carried it; without, the listener reads it. */
export type StatusListener = (order?: Order) => void;

export interface StatusNotifier {
  /** An order's status changed here: tell local listeners now and every replica through Redis. */
  changed(orderId: string, order?: Order): void;
  /** Calls `listener` whenever the order changes on any replica; returns the unsubscribe. */
  subscribe(orderId: string, listener: StatusListener): () => void;
  /** How many local listeners are subscribed now (each open SSE stream holds one). */
  listening(): number;
  /** An order this replica just accepted: its event stream, opened here moments later, starts from it without a read. */
  remember(order: Order, buyerId: string): void;
  /** The order as every change heard since `remember` left it, while that is known for sure; else undefined (read it). */
  recall(orderId: string): RememberedOrder | undefined;
  close(): Promise<void>;
}

export interface RememberedOrder {
  order: Order;
  buyerId: string;
}

/** The subscriber's name in CLIENT LIST: which channel it listens to (a name holds no spaces). */
export const subscriberName = (channel: string) => `status-subscriber:${channel.replace(/\s/g, '_')}`;

/** Orders remembered at most, and for how long: the buyer's page opens its stream right after placing. */
export const REMEMBERED_MAX = 10_000;
const REMEMBERED_MS = 60_000;

/** The pub/sub channel replicas announce status changes on, derived from the orders stream name. */
export const statusChannel = (ordersStream: string) => `${ordersStream}:order-status`;

/**
 * Cross-replica status notifications over Redis pub/sub: the replica that applied a change
 * PUBLISHes the order id; each replica SUBSCRIBEs on its own connection and wakes its local
 * SSE clients, which read the fresh state from the database. Pub/sub is best effort: a
 * missed note is caught up by the SSE heartbeat's re-read.
 *
 * Each replica also remembers the orders it accepted in the last minute, kept current by every
 * change it hears, so the stream the buyer's page opens right after placing one starts without a
 * database read. Whatever might have been missed is forgotten: a change heard without the order's
 * state forgets that order, and a lost subscriber connection forgets them all.
 */
export function createStatusNotifier(options: { redisUrl: string; channel: string; logger: Logger }): StatusNotifier {
  const log = options.logger.child({ component: 'status-notifier' });
  const listeners = new Map<string, Set<StatusListener>>();
  // Oldest first (a Map keeps insertion order), so the first entries are the ones to drop.
  const remembered = new Map<string, RememberedOrder & { until: number }>();
  // A settled batch announces each of its orders in the same tick: auto-pipelining sends them in one write.
  const publisher = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    enableAutoPipelining: true,
  });
  const subscriber = new Redis(options.redisUrl, {
    maxRetriesPerRequest: null,
    connectionName: subscriberName(options.channel),
  });
  publisher.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  // Changes published while the subscriber was away were not heard: what is remembered may be stale.
  subscriber.on('close', () => remembered.clear());
  subscriber
    .subscribe(options.channel)
    .catch((err: unknown) => log.warn({ err }, 'cannot subscribe yet; ioredis retries on reconnect'));

  function emit(orderId: string, order?: Order): void {
    const known = remembered.get(orderId);
    if (known) {
      // A change without the order's new state leaves it unknown here: the next stream reads it.
      if (order) known.order = order;
      else remembered.delete(orderId);
    }
    for (const listener of listeners.get(orderId) ?? []) {
      try {
        listener(order);
      } catch (err) {
        log.error({ err, orderId }, 'status listener failed');
      }
    }
  }

  // A message is the order id, or {"id", "order"} when the change carried the order's new state.
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== options.channel) return;
    if (!message.startsWith('{')) return emit(message);
    try {
      const { id, order } = JSON.parse(message) as { id: string; order?: Order };
      emit(id, order?.id === id ? order : undefined);
    } catch (err) {
      log.warn({ err }, 'unreadable status notification; ignored (event streams re-read on their heartbeat)');
    }
  });

  return {
    changed(orderId, order) {
      emit(orderId, order);
      publisher
        .publish(options.channel, order ? JSON.stringify({ id: orderId, order }) : orderId)
        .catch((err: unknown) => log.debug({ err, orderId }, 'status publish failed'));
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
    remember(order, buyerId) {
      if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value!);
      remembered.set(order.id, { order, buyerId, until: Date.now() + REMEMBERED_MS });
    },
    recall(orderId) {
      const known = remembered.get(orderId);
      if (!known || known.until >= Date.now()) return known && { order: known.order, buyerId: known.buyerId };
      remembered.delete(orderId);
      return undefined;
    },
    listening() {
      let total = 0;
      for (const set of listeners.values()) total += set.size;
      return total;
    },
    async close() {
      listeners.clear();
      remembered.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
