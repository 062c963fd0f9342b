import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server accepted, parsed. */
export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface TestSmtpServer {
  readonly port: number;
  /** smtp://127.0.0.1:<port>, for a service's SMTP_URL. */
  readonly url: string;
  readonly messages: CaughtMail[];
  /** Resolves with the first message (already caught or still to come) that matches, or rejects after timeoutMs. */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** Stops listening; connections are refused until start() listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that keeps what it receives, for tests that read delivered mail. */
export async function startTestSmtpServer(port = 0): Promise<TestSmtpServer> {
  const messages: CaughtMail[] = [];
  const waiters = new Set<() => void>();
  let server: SMTPServer | undefined;
  let boundPort = port;

  const build = () =>
    new SMTPServer({
      authOptional: true,
      // Loopback only: a sender configured with a user and password may log in, with any.
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username });
      },
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            messages.push({
              from: parsed.from?.text ?? '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
            });
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const next = build();
      next.once('error', reject);
      next.listen(boundPort, '127.0.0.1', () => {
        const address = next.server.address();
        if (typeof address === 'object' && address) boundPort = address.port;
        server = next;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (!current) return resolve();
      current.close(() => resolve());
    });

  await start();
  return {
    get port() {
      return boundPort;
    },
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    messages,
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} caught)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop,
    start,
    close: stop,
  };
}
