import { assertVerifierKey, baseConfigShape, env, parseConfig, streamConfigShape, verifierConfigShape } from '@market/kit';

export const ordersConfigShape = {
  ...baseConfigShape,
  PORT: env.port(3003),
  ...verifierConfigShape,
  ...streamConfigShape,
  /**
   * Orders still PENDING this long after their last publish are published again (consumers
   * dedupe); a CANCELLED order's order.cancelled too, the wait doubling after each of its republishes.
   */
  PENDING_REPUBLISH_AFTER_SECONDS: env.int(30, 1, 86_400),
  /** Seconds between SSE heartbeat comments (each also re-reads the order, catching a missed notification). */
  SSE_HEARTBEAT_SECONDS: env.int(15, 1, 300),
};

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(ordersConfigShape, source);
  assertVerifierKey(parsed);
  return parsed;
}

export type OrdersConfig = ReturnType<typeof loadConfig>;
