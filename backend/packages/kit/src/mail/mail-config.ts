import { z } from 'zod';
import { env } from '../config';

/** Keys of a service that sends mail. */
export const mailConfigShape = {
  /** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the first byte); user and password in the URL. */
  SMTP_URL: env.url(['smtp', 'smtps']).default('smtp://127.0.0.1:1025'),
  /** Off only for a relay with a self-signed certificate on a private network. */
  SMTP_TLS_REJECT_UNAUTHORIZED: env.boolean(true),
  /** The sender every message carries, e.g. `Marketplace <no-reply@shop.example>`. */
  MAIL_FROM: z.string().min(3).max(320).default('Marketplace <no-reply@localhost>'),
  /** Where users reach the SPA; every link in a message starts with it. */
  PUBLIC_BASE_URL: env
    .url(['http', 'https'])
    .default('http://localhost:8080')
    .transform((value) => value.replace(/\/+$/, '')),
};

export interface MailConfig {
  SMTP_URL: string;
  SMTP_TLS_REJECT_UNAUTHORIZED: boolean;
  MAIL_FROM: string;
  PUBLIC_BASE_URL: string;
}

/**
 * Production names its relay and its public address: the defaults point at a local mail catcher
 * and at localhost, which would quietly swallow every mail and hand users links that lead nowhere.
 */
export function productionMailProblems(nodeEnv: string, environment: NodeJS.ProcessEnv): string[] {
  if (nodeEnv !== 'production') return [];
  return (['SMTP_URL', 'PUBLIC_BASE_URL'] as const)
    .filter((key) => !environment[key])
    .map((key) => `${key}: required in production`);
}

/** The SMTP server's address without its user and password, for logs and errors. */
export function describeSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
}
