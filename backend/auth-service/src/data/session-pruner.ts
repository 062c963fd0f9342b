import type { Pool } from 'pg';
import { startInboxPruner, type Logger } from '@market/kit';

const DAY_MS = 86_400_000;

/**
 * Keeps the session tables bounded: refresh tokens past their expiry, families past their absolute
 * lifetime and revoked families (their tokens go with them, ON DELETE CASCADE). A pruned token is
 * refused like an unknown one, which it would have been anyway: expired, too old or revoked.
 */
export function startSessionPruner(options: { pool: Pool; logger: Logger; familyMaxDays: number; intervalMs: number }) {
  const { pool, logger, intervalMs } = options;
  const pruners = [
    startInboxPruner({
      pool,
      logger,
      intervalMs,
      table: 'refresh_tokens',
      keyColumn: 'id',
      timeColumn: 'expires_at',
      retainMs: 0,
      what: 'expired refresh tokens',
    }),
    startInboxPruner({
      pool,
      logger,
      intervalMs,
      table: 'token_families',
      keyColumn: 'id',
      timeColumn: 'created_at',
      retainMs: options.familyMaxDays * DAY_MS,
      what: 'sessions past their absolute lifetime',
    }),
    startInboxPruner({
      pool,
      logger,
      intervalMs,
      table: 'token_families',
      keyColumn: 'id',
      timeColumn: 'revoked_at',
      retainMs: 0,
      what: 'revoked sessions',
    }),
    // Mailed links (password reset, verification) a day after they expired; used ones too by then.
    startInboxPruner({
      pool,
      logger,
      intervalMs,
      table: 'email_tokens',
      keyColumn: 'id',
      timeColumn: 'expires_at',
      retainMs: DAY_MS,
      what: 'expired mailed links',
    }),
  ];
  return {
    /** One pass of every pruner now; returns how many rows each deleted. Exposed for tests. */
    pruneOnce: () => Promise.all(pruners.map((pruner) => pruner.pruneOnce())),
    stop: () => Promise.all(pruners.map((pruner) => pruner.stop())).then(() => undefined),
  };
}
