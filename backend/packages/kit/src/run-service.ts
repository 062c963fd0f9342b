import { ConfigError } from './config';
import { bufferedStdout, createLogger, type Logger } from './logger';

export interface RunServiceOptions<C extends { LOG_LEVEL: string }> {
  /** Named in the refusal and fatal lines, e.g. `auth-service`. */
  name: string;
  /** The logger's `service` field; `name` unless given. */
  service?: string;
  loadConfig: () => C;
  /** Builds the dependencies, listens and registers the graceful close. */
  start: (config: C, logger: Logger) => Promise<void>;
}

/**
 * The entry of a process: a bad configuration refuses to start naming every bad key (before
 * any logger exists), a failed start is logged as fatal; both exit 1.
 */
export function runService<C extends { LOG_LEVEL: string }>(options: RunServiceOptions<C>): void {
  let config: C;
  try {
    config = options.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.name} refuses to start: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({
    service: options.service ?? options.name,
    level: config.LOG_LEVEL,
    destination: bufferedStdout(),
  });
  options.start(config, logger).catch((err: unknown) => {
    logger.fatal({ err }, `${options.name} failed to start`);
    process.exit(1);
  });
}
