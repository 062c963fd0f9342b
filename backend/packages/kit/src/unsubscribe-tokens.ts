import { createHmac, timingSafeEqual } from 'node:crypto';

/** The kinds of email a user may turn off; security emails (password reset, verification) are not among them. */
export const EMAIL_KINDS = ['sale', 'order'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const mac = (secret: string, userId: string, kind: EmailKind) =>
  createHmac('sha256', secret).update(`unsubscribe:v1:${userId}:${kind}`).digest('base64url');

/**
 * The token of an email's unsubscribe link: the user and the kind, signed with a secret only
 * auth-service (which honours it) and the mailer (which writes it) hold, so the link works
 * without signing in and cannot be turned against another user or kind.
 */
export function signUnsubscribeToken(secret: string, userId: string, kind: EmailKind): string {
  const id = userId.toLowerCase();
  return `${id}.${kind}.${mac(secret, id, kind)}`;
}

/** The user and kind a token names, or undefined when it is malformed or its signature does not match. */
export function verifyUnsubscribeToken(secret: string, token: string): { userId: string; kind: EmailKind } | undefined {
  const [userId, kind, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !userId || !signature || !UUID.test(userId)) return undefined;
  if (!(EMAIL_KINDS as readonly string[]).includes(kind ?? '')) return undefined;
  const expected = Buffer.from(mac(secret, userId, kind as EmailKind));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { userId, kind: kind as EmailKind };
}
