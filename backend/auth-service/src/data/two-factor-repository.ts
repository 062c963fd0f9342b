import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { recoveryCodes, twoFactorSecrets } from './schema';

export type TwoFactorRow = typeof twoFactorSecrets.$inferSelect;
export type RecoveryCodeRow = typeof recoveryCodes.$inferSelect;

export async function findTwoFactor(userId: string, tx: Tx): Promise<TwoFactorRow | undefined> {
  const [row] = await tx.select().from(twoFactorSecrets).where(eq(twoFactorSecrets.userId, userId));
  return row;
}

/** A new pending secret replaces a pending one; an enabled one is left alone (returns false). */
export async function savePendingSecret(userId: string, secret: string, tx: Tx): Promise<boolean> {
  const rows = await tx
    .insert(twoFactorSecrets)
    .values({ userId, secret })
    .onConflictDoUpdate({
      target: twoFactorSecrets.userId,
      set: { secret, lastUsedStep: null, createdAt: sql`now()` },
      setWhere: isNull(twoFactorSecrets.enabledAt),
    })
    .returning({ userId: twoFactorSecrets.userId });
  return rows.length === 1;
}

/**
 * Records `step` as used, and enables a pending secret, only if no code of this step or a later
 * one was accepted before: of two requests racing with the same code, one wins.
 */
export async function claimStep(userId: string, step: number, tx: Tx): Promise<boolean> {
  const rows = await tx
    .update(twoFactorSecrets)
    .set({ lastUsedStep: step, enabledAt: sql`coalesce(${twoFactorSecrets.enabledAt}, now())` })
    .where(
      and(
        eq(twoFactorSecrets.userId, userId),
        or(isNull(twoFactorSecrets.lastUsedStep), lt(twoFactorSecrets.lastUsedStep, step)),
      ),
    )
    .returning({ userId: twoFactorSecrets.userId });
  return rows.length === 1;
}

export async function deleteTwoFactor(userId: string, tx: Tx): Promise<void> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.delete(twoFactorSecrets).where(eq(twoFactorSecrets.userId, userId));
}

export async function replaceRecoveryCodes(
  userId: string,
  codes: { salt: string; codeHash: string }[],
  tx: Tx,
): Promise<void> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, ...code })));
}

export async function unusedRecoveryCodes(userId: string, tx: Tx): Promise<RecoveryCodeRow[]> {
  return tx
    .select()
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
}

/** Marks a code used unless a concurrent request already did; true when this call used it. */
export async function useRecoveryCode(id: string, tx: Tx): Promise<boolean> {
  const rows = await tx
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.id, id), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length === 1;
}

/** The secrets not sealed with `isCurrent`'s key, `limit` at a time after `afterUserId`, for re-sealing. */
export async function secretsToReseal(
  afterUserId: string | null,
  limit: number,
  tx: Tx,
): Promise<Pick<TwoFactorRow, 'userId' | 'secret'>[]> {
  return tx
    .select({ userId: twoFactorSecrets.userId, secret: twoFactorSecrets.secret })
    .from(twoFactorSecrets)
    .where(afterUserId ? gt(twoFactorSecrets.userId, afterUserId) : undefined)
    .orderBy(asc(twoFactorSecrets.userId))
    .limit(limit);
}

/** Replaces a secret with the same secret sealed anew, unless it changed meanwhile. */
export async function resealSecret(userId: string, from: string, to: string, tx: Tx): Promise<void> {
  await tx
    .update(twoFactorSecrets)
    .set({ secret: to })
    .where(and(eq(twoFactorSecrets.userId, userId), eq(twoFactorSecrets.secret, from)));
}
