/**
 * The dead-letter tool (`npm run dlq -- …`; in the image `node dist/cli/dlq.js …`): see HELP in
 * dlq-output.ts. Reads REDIS_URL and the stream names from the environment like the services.
 */
import { createInterface } from 'node:readline/promises';
import { Redis } from 'ioredis';
import { ConfigError, createDeadLetters, env, parseConfig, streamConfigShape } from '@market/kit';
import { EXIT, runDlq, type DlqIo } from './dlq-commands';

/** `npm start` uses the Redis at REDIS_URL, else this one, and the stream names' defaults. */
const dlqConfigShape = {
  REDIS_URL: env.url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  ORDERS_STREAM: streamConfigShape.ORDERS_STREAM,
  INVENTORY_STREAM: streamConfigShape.INVENTORY_STREAM,
  /** The mailer's dead letters (order events it could not send) are handled here too. */
  ORDER_EVENTS_STREAM: env.text().default('order_events_stream'),
};

const withoutPassword = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

const io: DlqIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  async confirm(question) {
    if (!process.stdin.isTTY) return false;
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
    } finally {
      prompt.close();
    }
  },
};

async function main(argv: string[]): Promise<number> {
  let config;
  try {
    config = parseConfig(dlqConfigShape);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return EXIT.usage;
  }
  // One attempt and no retries: an operator wants an answer, not a tool that waits for Redis.
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  const needsRedis = !argv.some((arg) => arg === 'help' || arg === '--help' || arg === '-h') && argv.length > 0;
  try {
    if (needsRedis) await redis.connect();
  } catch (error) {
    io.err(
      `cannot reach Redis at ${withoutPassword(config.REDIS_URL)} (${(lastError ?? (error as Error)).message}); set REDIS_URL to the Redis the services use`,
    );
    return EXIT.failed;
  }
  try {
    return await runDlq(
      argv,
      createDeadLetters(redis, [config.ORDERS_STREAM, config.INVENTORY_STREAM, config.ORDER_EVENTS_STREAM]),
      io,
    );
  } finally {
    redis.disconnect();
  }
}

void main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
