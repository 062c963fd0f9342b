import { decodeOrderEventsMessage, type OrderStatusChanged } from '@market/contracts';
import {
  decodeBatch,
  messageIdFor,
  recordProcessed,
  signUnsubscribeToken,
  type BatchFailures,
  type Logger,
  type Mailer,
  type StreamEntry,
} from '@market/kit';
import type { Db } from '../data/db';
import { findRecipients, type Recipient } from '../data/recipient-repository';
import { handledEvents, isSent, recordSent } from '../data/sent-mail-repository';
import { orderLink, renderOrderOutcome, renderSale, salesLink, unsubscribeLink } from './order-mails';

export interface MailDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** The stream the events come from (the inbox records it). */
  stream: string;
  config: { PUBLIC_BASE_URL: string; MAIL_FROM: string; UNSUBSCRIBE_SECRET: string };
}

interface PlannedMail {
  /** Derived from the event id and the recipient: the same on every attempt. */
  messageId: string;
  to: string;
  rendered: { subject: string; text: string; html: string };
}

/** The outcomes a buyer hears of. */
const OUTCOMES = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/**
 * The mails one order event makes: to the buyer on an outcome (unless order emails are off), and
 * on COMPLETED to each seller with their own lines (unless sale emails are off). An account this
 * service has no copy of (deleted, or never announced) gets nothing.
 */
function planMails(deps: MailDeps, event: OrderStatusChanged, recipients: Map<string, Recipient>): PlannedMail[] {
  const { PUBLIC_BASE_URL: base, MAIL_FROM: from, UNSUBSCRIBE_SECRET: secret } = deps.config;
  const mails: PlannedMail[] = [];
  const buyer = recipients.get(event.buyer_id);
  if (OUTCOMES.has(event.status) && buyer?.orderEmails) {
    mails.push({
      messageId: messageIdFor(`${event.event_id}.buyer`, from),
      to: buyer.email,
      rendered: renderOrderOutcome({
        username: buyer.username,
        event,
        links: {
          view: orderLink(base, event.order_id),
          unsubscribe: unsubscribeLink(base, signUnsubscribeToken(secret, buyer.userId, 'order')),
        },
      }),
    });
  }
  if (event.status === 'COMPLETED') {
    for (const { seller_id: sellerId, lines } of event.sellers) {
      const seller = recipients.get(sellerId);
      if (!seller?.saleEmails) continue;
      mails.push({
        messageId: messageIdFor(`${event.event_id}.seller.${sellerId}`, from),
        to: seller.email,
        rendered: renderSale({
          username: seller.username,
          orderId: event.order_id,
          lines,
          links: {
            view: salesLink(base),
            unsubscribe: unsubscribeLink(base, signUnsubscribeToken(secret, seller.userId, 'sale')),
          },
        }),
      });
    }
  }
  return mails;
}

/**
 * Sends the mails of a batch of order events, once per event: an event already in the inbox is
 * skipped; each mail is recorded by its Message-ID right after the SMTP server took it, so an
 * event retried after a failure part-way sends only what is missing; the event joins the inbox
 * once all its mails went. A crash between the server taking a mail and its record committing
 * sends that one mail again, with the same Message-ID (README). A failure is the entry's alone:
 * an unreachable server is an outage (retried with backoff, uncounted), a refusal counts toward
 * dead-lettering.
 */
export async function mailOrderEvents(deps: MailDeps, entries: StreamEntry[]): Promise<BatchFailures> {
  const { valid, failures } = decodeBatch(entries, decodeOrderEventsMessage);
  const handled = await handledEvents(
    valid.map(({ message }) => message.event_id.toLowerCase()),
    deps.db,
  );
  const fresh = valid.filter(
    ({ message }) => OUTCOMES.has(message.status) && !handled.has(message.event_id.toLowerCase()),
  );
  const people = fresh.flatMap(({ message }) => [message.buyer_id, ...message.sellers.map((s) => s.seller_id)]);
  const recipients = await findRecipients([...new Set(people)], deps.db);
  for (const { entryId, message } of fresh) {
    try {
      for (const mail of planMails(deps, message, recipients)) {
        if (await isSent(mail.messageId, deps.db)) continue;
        await deps.mailer.send({ to: mail.to, messageId: mail.messageId, ...mail.rendered });
        await recordSent(mail.messageId, deps.db);
      }
      await recordProcessed(deps.db, message.event_id.toLowerCase(), deps.stream);
    } catch (error) {
      deps.logger.warn({ err: error, orderId: message.order_id, eventId: message.event_id }, 'order mail not sent');
      failures.set(entryId, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return failures;
}
