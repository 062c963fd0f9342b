import { ConfigError, baseConfigShape, env, parseConfig, streamConfigShape, verifierConfigShape } from '@market/kit';

export const productsConfigShape = {
  ...baseConfigShape,
  PORT: env.port(3002),
  ...verifierConfigShape,
  ...streamConfigShape,
  /** Seeds the demo catalog (idempotent) on start. */
  DEMO_MODE: env.boolean(false),
};

/** Parses the environment once; throws a ConfigError naming every bad key. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = parseConfig(productsConfigShape, source);
  if (!parsed.JWT_PUBLIC_KEY && !parsed.JWKS_URL) {
    throw new ConfigError(['JWT_PUBLIC_KEY or JWKS_URL: one of them is required to verify access tokens']);
  }
  return parsed;
}

export type ProductsConfig = ReturnType<typeof loadConfig>;
