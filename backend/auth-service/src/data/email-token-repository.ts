import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { emailTokens, mailOutbox } from './schema';

export type TokenPurpose = 'reset-password' | 'verify-email';

export async function insertEmailToken(
  token: { userId: string; purpose: TokenPurpose; tokenHash: string; email: string; expiresAt: Date },
  tx: Tx,
): Promise<void> {
  await tx.insert(emailTokens).values(token);
}

/** The live token with this hash, for this purpose; no change made. */
export async function findLiveToken(
  tokenHash: string,
  purpose: TokenPurpose,
  tx: Tx,
): Promise<{ userId: string; email: string } | undefined> {
  const [row] = await tx
    .select({ userId: emailTokens.userId, email: emailTokens.email })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, sql`now()`),
      ),
    );
  return row;
}

/**
 * Marks the live token used and returns whose it is; a used, expired or unknown one returns
 * nothing. One statement, so two requests racing with one token cannot both succeed.
 */
export async function consumeToken(
  tokenHash: string,
  purpose: TokenPurpose,
  tx: Tx,
): Promise<{ userId: string; email: string } | undefined> {
  const [row] = await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: emailTokens.userId, email: emailTokens.email });
  return row;
}

/** Ends every live token of the user for this purpose (a finished reset voids the other links). */
export async function voidTokens(userId: string, purpose: TokenPurpose, tx: Tx): Promise<void> {
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

export async function enqueueMail(
  mail: { kind: TokenPurpose; recipient: string; values: Record<string, string>; expiresAt: Date },
  tx: Tx,
): Promise<void> {
  await tx.insert(mailOutbox).values(mail);
}
