import {
  assertVerifierKey,
  baseConfigShape,
  env,
  parseConfig,
  streamConfigShape,
  verifierConfigShape,
} from '@market/kit';

/** Keys of the orders worker (the inventory.result consumer, republisher and relay); it verifies no tokens. */
export const ordersWorkerConfigShape = {
  ...baseConfigShape,
  /** The worker's /health, /ready and /metrics; 0 takes any free port (tests running several workers). */
  PORT: env.int(3005, 0, 65_535),
  ...streamConfigShape,
  /**
   * Orders still PENDING this long after their last publish are published again (consumers
   * dedupe), and so are give-backs (order.cancelled) products has not answered; each later wait
   * is as long as the event had been out, so the waits double up to REPUBLISH_BACKOFF_MAX_SECONDS.
   */
  PENDING_REPUBLISH_AFTER_SECONDS: env.int(30, 1, 86_400),
  /** The longest wait between two republishes of the same event (capped exponential backoff). */
  REPUBLISH_BACKOFF_MAX_SECONDS: env.int(300, 1, 86_400),
  /**
   * An order still PENDING this long after it was placed becomes FAILED with reason TIMED_OUT and
   * its stock is given back: for real outages, far longer than a restart or a Redis failover.
   */
  ORDER_DEADLINE_SECONDS: env.int(900, 10, 604_800),
  /** Where orders publishes every status change of an order (order.status_changed), through its outbox; the notifications worker reads it. */
  ORDER_EVENTS_STREAM: env.text().default('order_events_stream'),
  /**
   * The cap (XADD MAXLEN ~) of ORDER_EVENTS_STREAM alone: its reader (the mailer) trims it as it
   * consumes; this bounds it while the mailer is down, without touching the saga's streams.
   */
  ORDER_EVENTS_MAXLEN: env.int(100_000, 1000, 100_000_000),
  /** A buyer's cart not saved for this many days reads as empty; the worker deletes it. */
  CART_TTL_DAYS: env.int(30, 1, 365),
};

export const ordersConfigShape = {
  ...ordersWorkerConfigShape,
  PORT: env.port(3003),
  ...verifierConfigShape,
  /** Seconds between SSE heartbeat comments (each also re-reads the order, catching a missed notification). */
  SSE_HEARTBEAT_SECONDS: env.int(15, 1, 300),
  /**
   * Applies inventory replies inside the HTTP process too (consumer, republisher). False when
   * orders workers (dist/worker-start.js) run beside it, as in `npm start` and the compose stack.
   */
  RUN_ORDERS_WORKER: env.boolean(true),
  /**
   * Orders accepted but not yet settled (PENDING) above which POST /api/orders answers 503
   * OVERLOADED with Retry-After, instead of letting the pipeline's backlog grow without bound.
   */
  ORDERS_MAX_BACKLOG: env.int(5000, 10, 10_000_000),
  /**
   * Days after a seller's part was delivered during which the seller still sees the buyer's name and
   * address on that sale (returns, questions); after that the sales view shows neither. 0: at delivery.
   */
  SELLER_ADDRESS_RETENTION_DAYS: env.int(30, 0, 3650),
};

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(ordersConfigShape, source);
  assertVerifierKey(parsed);
  return parsed;
}

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env) {
  return parseConfig(ordersWorkerConfigShape, source);
}

export type OrdersConfig = ReturnType<typeof loadConfig>;
export type OrdersWorkerConfig = ReturnType<typeof loadWorkerConfig>;
