import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../logger';
import { describeSmtpUrl, type MailConfig } from './mail-config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * A stable Message-ID (see messageIdFor): a consumer that derives it from an event id sends the
   * same id when it repeats a mail, so a receiving server or client can drop the repeat.
   */
  messageId?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** How long a connection, the greeting and a silent socket may take before the send fails and is retried later. */
const SMTP_TIMEOUT_MS = 10_000;

/** Sends through the SMTP server of SMTP_URL. Its user and password never reach a log or an error message. */
export function createMailer(config: MailConfig, logger?: Logger): Mailer {
  const transport: Transporter = nodemailer.createTransport({
    url: config.SMTP_URL,
    tls: { rejectUnauthorized: config.SMTP_TLS_REJECT_UNAUTHORIZED },
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
    logger: false,
  });
  const server = describeSmtpUrl(config.SMTP_URL);
  return {
    async send(message) {
      try {
        const info = (await transport.sendMail({
          from: config.MAIL_FROM,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          ...(message.messageId ? { messageId: message.messageId } : {}),
        })) as { messageId: string };
        logger?.debug({ server, messageId: info.messageId }, 'mail sent');
        return { messageId: info.messageId };
      } catch (error) {
        // nodemailer's errors can quote the server's reply and the command; the address and code are enough.
        const code = (error as { code?: unknown }).code;
        throw new Error(`sending mail through ${server} failed${typeof code === 'string' ? ` (${code})` : ''}`, {
          cause: error,
        });
      }
    },
    close() {
      transport.close();
    },
  };
}

/** A Message-ID derived from a stable id (an event id, an outbox row id), in the sender's domain. */
export function messageIdFor(id: string, mailFrom: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'localhost';
  return `<${id.replace(/[^A-Za-z0-9.-]/g, '-')}@${domain}>`;
}
