import type { EmailPreferences, UpdateEmailPreferencesRequest } from '@market/contracts';
import { AppError, notFound, verifyUnsubscribeToken, type EmailKind, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import { findUserById, updateEmailPreferences } from '../data/user-repository';

const sessionEnded = () => new AppError('UNAUTHENTICATED', 'your session is not valid; sign in again');
const badLink = () => notFound('unsubscribe link');

const preferencesOf = (row: { saleEmails: boolean; orderEmails: boolean }): EmailPreferences => ({
  saleEmails: row.saleEmails,
  orderEmails: row.orderEmails,
});

/**
 * Which notification emails a user gets. A change commits with its user.changed event (the
 * users table's trigger writes it to the outbox), so the mailer's copy follows.
 */
export function createEmailPreferences(deps: {
  db: Db;
  logger: Logger;
  /** UNSUBSCRIBE_SECRET; empty: every link is refused. */
  unsubscribeSecret: string;
  outboxWritten?: () => void;
}) {
  const { db, logger } = deps;

  async function read(userId: string): Promise<EmailPreferences> {
    const row = await findUserById(userId, db);
    if (!row || row.disabled) throw sessionEnded();
    return preferencesOf(row);
  }

  async function update(userId: string, patch: UpdateEmailPreferencesRequest): Promise<EmailPreferences> {
    const row = await updateEmailPreferences(userId, patch, db);
    if (!row || row.disabled) throw sessionEnded();
    deps.outboxWritten?.();
    logger.info({ userId, ...patch }, 'email preferences changed');
    return preferencesOf(row);
  }

  /** The kind the signed link names is turned off for its user; an altered link or a gone account is refused alike. */
  async function unsubscribe(token: string): Promise<{ kind: EmailKind }> {
    const named = deps.unsubscribeSecret ? verifyUnsubscribeToken(deps.unsubscribeSecret, token) : undefined;
    if (!named) {
      logger.warn('unsubscribe refused: the link is not validly signed');
      throw badLink();
    }
    const patch = named.kind === 'sale' ? { saleEmails: false } : { orderEmails: false };
    const row = await updateEmailPreferences(named.userId, patch, db);
    if (!row || row.disabled) throw badLink();
    deps.outboxWritten?.();
    logger.info({ userId: named.userId, kind: named.kind }, 'unsubscribed from a link');
    return { kind: named.kind };
  }

  return { read, update, unsubscribe };
}

export type EmailPreferencesService = ReturnType<typeof createEmailPreferences>;
