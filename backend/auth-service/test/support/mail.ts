import { createMailer } from '@market/kit';
import { startTestSmtpServer, type CaughtMail, type TestSmtpServer } from '@market/kit/testing';
import { startMailRelay, type MailRelay } from '../../src/messaging/mail-relay';
import type { TestApp } from './test-app';

export interface MailHarness {
  smtp: TestSmtpServer;
  relay: MailRelay;
  /** The next mail to `address` whose subject matches, after the `skip` first ones. */
  mailTo(address: string, subject: RegExp, skip?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

/** A real SMTP server on loopback and auth-service's mail relay sending to it, polling often, backing off briefly. */
export async function startMailHarness(ctx: TestApp): Promise<MailHarness> {
  const smtp = await startTestSmtpServer();
  const relay = startMailRelay({
    pool: ctx.pool,
    mailer: createMailer({ ...ctx.config, SMTP_URL: smtp.url }),
    logger: ctx.logger,
    publicBaseUrl: ctx.config.PUBLIC_BASE_URL,
    mailFrom: ctx.config.MAIL_FROM,
    idleDelayMs: 100,
    maxBackoffMs: 400,
  });
  return {
    smtp,
    relay,
    mailTo(address, subject, skip = 0) {
      const matches = (mail: CaughtMail) => mail.to.includes(address) && subject.test(mail.subject);
      return smtp.waitFor((mail) => matches(mail) && smtp.messages.filter(matches).indexOf(mail) === skip);
    },
    async close() {
      await relay.stop();
      await smtp.close();
    },
  };
}

/** The token of the link in a mail's text body. */
export function tokenIn(mail: CaughtMail): string {
  const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no link with a token in: ${mail.text}`);
  return token;
}
