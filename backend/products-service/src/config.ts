import { z } from 'zod';
import {
  assertVerifierKey,
  ConfigError,
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

/** Where uploaded product images go and how large they may be. */
const imageConfigShape = {
  /** `disk`: files in IMAGE_DIR, served by nginx; `s3`: objects in an S3-compatible bucket. */
  IMAGE_STORE: z.enum(['disk', 's3']).default('disk'),
  /** The folder the image files are written to (disk store); nginx serves it under /images/. */
  IMAGE_DIR: env.text().default('.local/images'),
  /** What the stored file names are prefixed with in the answers: a path on this site or a CDN/bucket URL. */
  IMAGE_PUBLIC_BASE_URL: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~/-]*|https?:\/\/[^\s"'<>]+)$/, 'must be a path starting with / or an http(s) URL')
    .default('/images')
    .transform((value) => value.replace(/\/+$/, '')),
  /** Bytes one uploaded file may have (before it is re-encoded). */
  IMAGE_MAX_BYTES: env.int(5 * 1024 * 1024, 1024, 10 * 1024 * 1024),
  /** Pixels (width × height) a decoded upload may have: a tiny file claiming huge dimensions is refused. */
  IMAGE_MAX_PIXELS: env.int(40_000_000, 10_000, 100_000_000),
  S3_ENDPOINT: env.url(['http', 'https']).optional(),
  S3_REGION: env.text().default('us-east-1'),
  S3_BUCKET: env.text().optional(),
  S3_ACCESS_KEY_ID: env.text().optional(),
  /** Secret. */
  S3_SECRET_ACCESS_KEY: env.text().optional(),
  /** Path-style URLs (endpoint/bucket/key), which most S3-compatible servers need. */
  S3_FORCE_PATH_STYLE: env.boolean(true),
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
  /**
   * Seconds nginx may answer the public list and an active product from its shared cache
   * (X-Accel-Expires), so a price or stock figure there is at most this old; 0 turns it off.
   */
  CATALOG_CACHE_SECONDS: env.int(10, 0, 60),
  ...imageConfigShape,
};

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(productsConfigShape, source);
  assertVerifierKey(parsed);
  if (parsed.IMAGE_STORE === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((key) => !parsed[key]);
    if (missing.length > 0) {
      throw new ConfigError(missing.map((key) => `${key}: missing (required when IMAGE_STORE=s3)`));
    }
  }
  return parsed;
}

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env) {
  return parseConfig(workerConfigShape, source);
}

export type ProductsConfig = ReturnType<typeof loadConfig>;
export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
