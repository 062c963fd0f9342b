import type { Pool } from 'pg';
import { messageIdFor, type Logger, type Mailer } from '@market/kit';
import type { TokenPurpose } from '../data/email-token-repository';
import { renderAccountMail } from './mail-templates';

export interface MailRelayOptions {
  pool: Pool;
  mailer: Mailer;
  logger: Logger;
  publicBaseUrl: string;
  mailFrom: string;
  batchSize?: number;
  /** Poll interval when idle; `notify()` wakes the relay sooner after a commit that queued mail. */
  idleDelayMs?: number;
  /** Longest wait between two tries of one mail; the waits double from a second up to it. */
  maxBackoffMs?: number;
  /** A claimed mail is tried again after this if its sender died before recording the outcome. */
  leaseMs?: number;
}

export interface MailRelay {
  notify(): void;
  /** Sends what is due now; exposed for tests. Returns the number of mails sent. */
  sendBatch(): Promise<number>;
  stop(): Promise<void>;
}

interface ClaimedMail {
  id: string;
  kind: TokenPurpose;
  recipient: string;
  values: Record<string, string>;
  attempts: number;
}

/**
 * Sends auth-service's mail (password-reset and verification links) from the mail_outbox table.
 * Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so replicas share the work; a sent
 * mail's row is deleted with the token it held; a failed send waits with backoff and nothing is
 * dropped except mail whose link has expired. A crash between sending and deleting sends the
 * mail again after the lease, with the same Message-ID (derived from the row id).
 */
export function startMailRelay(options: MailRelayOptions): MailRelay {
  const { pool, mailer, logger } = options;
  const batchSize = options.batchSize ?? 20;
  const idleDelayMs = options.idleDelayMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const leaseMs = options.leaseMs ?? 120_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function claim(): Promise<ClaimedMail[]> {
    await pool.query('DELETE FROM mail_outbox WHERE expires_at <= now()');
    const { rows } = await pool.query<ClaimedMail>(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id IN (
         SELECT id FROM mail_outbox WHERE next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id, kind, recipient, "values", attempts`,
      [batchSize, leaseMs],
    );
    return rows;
  }

  async function sendOne(mail: ClaimedMail): Promise<boolean> {
    try {
      const rendered = renderAccountMail(mail.kind, mail.values, options.publicBaseUrl);
      const messageId = messageIdFor(`auth-mail-${mail.id}`, options.mailFrom);
      await mailer.send({ to: mail.recipient, ...rendered, messageId });
      await pool.query('DELETE FROM mail_outbox WHERE id = $1', [mail.id]);
      logger.info({ mailId: mail.id, kind: mail.kind }, 'mail sent');
      return true;
    } catch (err) {
      const waitMs = Math.min(maxBackoffMs, 1000 * 2 ** Math.min(mail.attempts, 20));
      await pool
        .query(
          `UPDATE mail_outbox SET attempts = attempts + 1,
             next_attempt_at = now() + make_interval(secs => $2::double precision / 1000) WHERE id = $1`,
          [mail.id, waitMs],
        )
        .catch((updateErr: unknown) => logger.error({ err: updateErr }, 'could not record a failed mail'));
      logger.warn(
        { err, mailId: mail.id, kind: mail.kind, attempt: mail.attempts + 1, retryInMs: waitMs },
        'mail not sent; will retry',
      );
      return false;
    }
  }

  async function sendBatch(): Promise<number> {
    const claimed = await claim();
    let sent = 0;
    for (const mail of claimed) if (await sendOne(mail)) sent += 1;
    return sent;
  }

  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = pass();
    }, delayMs);
  };

  async function pass(): Promise<void> {
    let again = false;
    try {
      again = (await sendBatch()) === batchSize;
    } catch (err) {
      logger.warn({ err }, 'mail relay pass failed');
    }
    schedule(again ? 0 : idleDelayMs);
  }

  schedule(0);
  return {
    notify: () => schedule(0),
    sendBatch,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      mailer.close();
    },
  };
}
