import {
  assertVerifierKey,
  baseConfigShape,
  env,
  parseConfig,
  streamConfigShape,
  verifierConfigShape,
} from '@market/kit';

/** Keys the inventory worker needs; it verifies no tokens, so it runs without the JWT keys. */
export const workerConfigShape = {
  ...baseConfigShape,
  /** The worker's /health, /ready and /metrics; 0 takes any free port (tests running several workers). */
  PORT: env.int(3004, 0, 65_535),
  ...streamConfigShape,
};

export const productsConfigShape = {
  ...workerConfigShape,
  PORT: env.port(3002),
  ...verifierConfigShape,
  /** Seeds the demo catalog (idempotent) on start. */
  DEMO_MODE: env.boolean(false),
  /**
   * Runs the inventory worker (consumer group + reply relay) inside the HTTP process too. False
   * when inventory workers (dist/worker-start.js) run beside it, as in `npm start` and the compose stack.
   */
  RUN_INVENTORY_WORKER: env.boolean(true),
};

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(productsConfigShape, source);
  assertVerifierKey(parsed);
  return parsed;
}

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env) {
  return parseConfig(workerConfigShape, source);
}

export type ProductsConfig = ReturnType<typeof loadConfig>;
export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
