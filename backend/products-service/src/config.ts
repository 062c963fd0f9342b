import { ConfigError, assertVerifierKey, baseConfigShape, env, parseConfig, streamConfigShape, verifierConfigShape } from '@market/kit';

/** Keys the inventory worker needs; it verifies no tokens, so it runs without the JWT keys. */
export const workerConfigShape = {
  ...baseConfigShape,
  ...streamConfigShape,
  /**
   * Test only (refused in production): after the first message whose transaction committed,
   * the worker kills itself with SIGKILL before XACK, unless this file exists; it creates the
   * file first, so the restarted worker runs normally. Proves a crash between COMMIT and XACK
   * neither loses nor doubles a stock change.
   */
  CRASH_AFTER_COMMIT_ONCE: env.text().optional(),
};

export const productsConfigShape = {
  ...workerConfigShape,
  PORT: env.port(3002),
  ...verifierConfigShape,
  /** Seeds the demo catalog (idempotent) on start. */
  DEMO_MODE: env.boolean(false),
  /** Runs the inventory worker (consumer group + reply relay) inside the HTTP process. */
  RUN_INVENTORY_WORKER: env.boolean(true),
};

function refuseTestHooksInProduction(config: { NODE_ENV: string; CRASH_AFTER_COMMIT_ONCE?: string }): void {
  if (config.NODE_ENV === 'production' && config.CRASH_AFTER_COMMIT_ONCE) {
    throw new ConfigError(['CRASH_AFTER_COMMIT_ONCE: a test-only crash hook; not allowed when NODE_ENV=production']);
  }
}

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(productsConfigShape, source);
  assertVerifierKey(parsed);
  refuseTestHooksInProduction(parsed);
  return parsed;
}

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(workerConfigShape, source);
  refuseTestHooksInProduction(parsed);
  return parsed;
}

export type ProductsConfig = ReturnType<typeof loadConfig>;
export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
