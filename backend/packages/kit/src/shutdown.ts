import type { Logger } from './logger';

export type Closer = { name: string; close: () => Promise<unknown> };

/**
 * On SIGTERM/SIGINT closes each piece in order (listener first, pools last), with a
 * deadline so a stuck close cannot keep a container from stopping.
 */
export function closeGracefully(logger: Logger, closers: Closer[], deadlineMs = 10_000): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    for (const closer of closers) {
      try {
        await closer.close();
      } catch (err) {
        logger.error({ err, piece: closer.name }, 'close failed');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
