import { createMailer, html, linkTo, messageIdFor, renderMail, type MailTemplate } from '../src';
import { captureLogs, startTestSmtpServer, type TestSmtpServer } from '../src/testing';

const greeting: MailTemplate<{ name: string; link: string }> = {
  subject: ({ name }) => `Hello ${name}`,
  text: ({ name, link }) => `Hello ${name}, open ${link}`,
  html: ({ name, link }) => html`<p>Hello ${name}, <a href="${link}">open</a></p>`,
};

const mailConfig = (smtpUrl: string) => ({
  SMTP_URL: smtpUrl,
  SMTP_TLS_REJECT_UNAUTHORIZED: true,
  MAIL_FROM: 'Marketplace <no-reply@shop.test>',
  PUBLIC_BASE_URL: 'https://shop.test',
});

describe('mail', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(() => smtp.close());

  it('when a message is sent, then the SMTP server receives its text, HTML, sender and Message-ID', async () => {
    const mailer = createMailer(mailConfig(smtp.url));
    const link = linkTo('https://shop.test/', '/reset-password', { token: 'a b&c' });
    const rendered = renderMail(greeting, { name: 'Ann', link });
    const messageId = messageIdFor('evt-1', 'Marketplace <no-reply@shop.test>');

    await mailer.send({ to: 'ann@example.test', ...rendered, messageId });
    const mail = await smtp.waitFor((m) => m.to.includes('ann@example.test'));
    mailer.close();

    expect(mail.subject).toBe('Hello Ann');
    expect(mail.from).toContain('no-reply@shop.test');
    expect(mail.messageId).toBe('<evt-1@shop.test>');
    expect(mail.text).toContain('https://shop.test/reset-password?token=a+b%26c');
    expect(mail.html).toContain('href="https://shop.test/reset-password?token=a+b%26c"');
  });

  it('when a value holds markup, then the HTML body carries it escaped and no new element', () => {
    const rendered = renderMail(greeting, { name: '<a href="https://evil.test">x</a>', link: 'https://shop.test/' });

    expect(rendered.html).toContain('&lt;a href=&quot;https://evil.test&quot;&gt;x&lt;/a&gt;');
    expect(rendered.html).not.toContain('href="https://evil.test"');
  });

  it('when a subject value holds a line break, then the subject stays one header line', () => {
    expect(renderMail(greeting, { name: 'Ann\r\nBcc: all@example.test', link: '' }).subject).toBe(
      'Hello Ann Bcc: all@example.test',
    );
  });

  it('when a link path is not our own, then linkTo refuses it', () => {
    expect(() => linkTo('https://shop.test', 'https://evil.test/x')).toThrow();
  });

  it('when the SMTP server is down, then sending fails without the password and succeeds once it is back', async () => {
    const { logger, lines } = captureLogs();
    const url = new URL(smtp.url);
    url.username = 'mailer';
    url.password = 's3cret-smtp-pass';
    const mailer = createMailer(mailConfig(url.toString()), logger);
    const message = { to: 'bob@example.test', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };
    await smtp.stop();

    const failure = await mailer.send(message).catch((error: Error) => error);
    await smtp.start();
    await mailer.send(message);
    mailer.close();

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^sending mail through smtp:\/\/127\.0\.0\.1:\d+ failed/);
    expect((failure as Error).message).not.toContain('s3cret-smtp-pass');
    await expect(smtp.waitFor((m) => m.to.includes('bob@example.test'))).resolves.toBeDefined();
    expect(lines.join('\n')).not.toContain('s3cret-smtp-pass');
  });
});
