import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { refreshTokens, tokenFamilies, users, type UserRow } from './schema';

export interface PresentedToken {
  tokenId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  /** Rotated no longer ago than the grace asked for (by the database's clock, which set usedAt). */
  rotatedWithinGrace: boolean;
  familyRevokedAt: Date | null;
  /** The family began longer ago than its absolute lifetime. */
  familyTooOld: boolean;
  user: UserRow;
}

export async function insertFamily(userId: string, tx: Tx): Promise<string> {
  const [row] = await tx.insert(tokenFamilies).values({ userId }).returning({ id: tokenFamilies.id });
  return (row as { id: string }).id;
}

export async function insertRefreshToken(
  token: { familyId: string; tokenHash: string; expiresAt: Date },
  tx: Tx,
): Promise<string> {
  const [row] = await tx.insert(refreshTokens).values(token).returning({ id: refreshTokens.id });
  return (row as { id: string }).id;
}

/** Finds a presented token with its family and user, locking the token and family rows until the transaction ends. */
export async function findTokenForUpdate(
  tokenHash: string,
  tx: Tx,
  limits: { graceSeconds?: number; familyMaxDays?: number } = {},
): Promise<PresentedToken | undefined> {
  const graceSeconds = limits.graceSeconds ?? 0;
  const [row] = await tx
    .select({
      tokenId: refreshTokens.id,
      familyId: refreshTokens.familyId,
      expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt,
      rotatedWithinGrace: sql<boolean>`coalesce(${refreshTokens.usedAt} > now() - make_interval(secs => ${graceSeconds}), false)`,
      familyRevokedAt: tokenFamilies.revokedAt,
      familyTooOld:
        limits.familyMaxDays === undefined
          ? sql<boolean>`false`
          : sql<boolean>`${tokenFamilies.createdAt} <= now() - make_interval(days => ${limits.familyMaxDays})`,
      user: users,
    })
    .from(refreshTokens)
    .innerJoin(tokenFamilies, eq(tokenFamilies.id, refreshTokens.familyId))
    .innerJoin(users, eq(users.id, tokenFamilies.userId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update', { of: [refreshTokens, tokenFamilies] });
  return row;
}

export async function markTokenUsed(tokenId: string, replacedBy: string, tx: Tx): Promise<void> {
  await tx
    .update(refreshTokens)
    .set({ usedAt: sql`now()`, replacedBy })
    .where(eq(refreshTokens.id, tokenId));
}

export async function revokeFamily(familyId: string, reason: string, tx: Tx): Promise<void> {
  await tx
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(tokenFamilies.id, familyId), isNull(tokenFamilies.revokedAt)));
}

export async function revokeUserFamilies(userId: string, reason: string, tx: Tx): Promise<void> {
  await tx
    .update(tokenFamilies)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt)));
}

/** The user's sessions, newest first, for the account export. */
export async function listFamilies(
  userId: string,
  tx: Tx,
): Promise<{ createdAt: Date; revokedAt: Date | null; revokedReason: string | null }[]> {
  return tx
    .select({
      createdAt: tokenFamilies.createdAt,
      revokedAt: tokenFamilies.revokedAt,
      revokedReason: tokenFamilies.revokedReason,
    })
    .from(tokenFamilies)
    .where(eq(tokenFamilies.userId, userId))
    .orderBy(desc(tokenFamilies.createdAt))
    .limit(1000);
}
