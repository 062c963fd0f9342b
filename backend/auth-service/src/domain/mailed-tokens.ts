import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@market/kit';
import type { Tx } from '../data/db';
import { enqueueMail, insertEmailToken, type TokenPurpose } from '../data/email-token-repository';

export const hashMailedToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const invalidToken = () =>
  new AppError('INVALID_TOKEN', 'this link is not valid any more (used, expired or unknown); ask for a new one', 400);

/**
 * A new single-use token for a link, and the mail carrying it, in the caller's transaction. The
 * database keeps the token's hash; the raw token lives only in the mail outbox row until the
 * mail relay has sent it.
 */
export async function issueMailedToken(
  input: { userId: string; username: string; email: string; purpose: TokenPurpose; ttlMs: number },
  tx: Tx,
): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await insertEmailToken(
    { userId: input.userId, purpose: input.purpose, tokenHash: hashMailedToken(token), email: input.email, expiresAt },
    tx,
  );
  await enqueueMail(
    { kind: input.purpose, recipient: input.email, values: { token, username: input.username }, expiresAt },
    tx,
  );
}
