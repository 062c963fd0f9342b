import type { OutboxRelayOptions } from './outbox-relay';
import type { StreamConsumerOptions } from './stream-consumer';

/** The keys of `streamConfigShape` (and REDIS_URL) that tune every relay and consumer. */
export interface StreamConnectionConfig {
  REDIS_URL: string;
  CONSUMER_NAME: string;
  STREAM_MAXLEN: number;
  STREAM_BLOCK_MS: number;
  STREAM_CLAIM_IDLE_MS: number;
  STREAM_MAX_DELIVERIES: number;
  /** The consumer's defaults when absent. */
  STREAM_HANDLER_TIMEOUT_MS?: number;
  STREAM_CONSUMER_EXPIRY_MS?: number;
  /** Entries a consumer reads and handles as one batch; the consumer's default when absent. */
  STREAM_BATCH_SIZE?: number;
  /** Pause after a batch that was not full; the consumer's default when absent. */
  STREAM_BATCH_WAIT_MS?: number;
}

/** Relay options: Redis and the stream cap from the config, the rest from the caller. */
export function relayOptions(
  config: StreamConnectionConfig,
  options: Omit<OutboxRelayOptions, 'redisUrl' | 'maxLen'>,
): OutboxRelayOptions {
  return { ...options, redisUrl: config.REDIS_URL, maxLen: config.STREAM_MAXLEN };
}

/** Consumer options: Redis, this process's consumer name and the delivery timings from the config. */
export function consumerOptions(
  config: Omit<StreamConnectionConfig, 'STREAM_MAXLEN'>,
  options: Omit<
    StreamConsumerOptions,
    | 'redisUrl'
    | 'consumer'
    | 'blockMs'
    | 'claimIdleMs'
    | 'maxDeliveries'
    | 'count'
    | 'batchWaitMs'
    | 'handlerTimeoutMs'
    | 'consumerExpiryMs'
  >,
): StreamConsumerOptions {
  return {
    ...options,
    redisUrl: config.REDIS_URL,
    consumer: config.CONSUMER_NAME,
    blockMs: config.STREAM_BLOCK_MS,
    claimIdleMs: config.STREAM_CLAIM_IDLE_MS,
    maxDeliveries: config.STREAM_MAX_DELIVERIES,
    count: config.STREAM_BATCH_SIZE,
    batchWaitMs: config.STREAM_BATCH_WAIT_MS,
    handlerTimeoutMs: config.STREAM_HANDLER_TIMEOUT_MS,
    consumerExpiryMs: config.STREAM_CONSUMER_EXPIRY_MS,
  };
}
