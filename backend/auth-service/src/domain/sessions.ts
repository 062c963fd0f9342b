import { createHash, randomBytes } from 'node:crypto';
import type { User } from '@market/contracts';
import { AppError, type Logger, type SessionRevocations } from '@market/kit';
import type { Db, Tx } from '../data/db';
import {
  findTokenForUpdate,
  insertFamily,
  insertRefreshToken,
  markTokenUsed,
  revokeFamily,
  revokeUserFamilies,
} from '../data/session-repository';
import type { AccessTokens } from './access-tokens';
import { toUser } from './user-shapes';

/** What the HTTP layer puts into cookies; never into a body or a log line. */
export interface IssuedSession {
  user: User;
  accessToken: string;
  refreshToken: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const sessionExpired = () => new AppError('UNAUTHENTICATED', 'your session has ended; sign in again');

export function createSessions(deps: {
  db: Db;
  accessTokens: AccessTokens;
  revocations: SessionRevocations;
  refreshTtlSeconds: number;
  /** Days after its sign-in when a family ends, rotated or not. */
  familyMaxDays: number;
  /** How long a rotated token still gets a sibling instead of revoking its family (0: never). */
  reuseGraceSeconds?: number;
  logger: Logger;
}) {
  const { db, accessTokens, logger } = deps;

  async function issueRefreshToken(familyId: string, tx: Tx): Promise<{ id: string; token: string }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + deps.refreshTtlSeconds * 1000);
    const id = await insertRefreshToken({ familyId, tokenHash: hashToken(token), expiresAt }, tx);
    return { id, token };
  }

  /** Starts a new family (one per login). */
  async function start(user: User, tx: Tx = db): Promise<IssuedSession> {
    const familyId = await insertFamily(user.id, tx);
    const { token } = await issueRefreshToken(familyId, tx);
    return { user, accessToken: accessTokens.sign(user), refreshToken: token };
  }

  /**
   * Trades a refresh token for a new pair. A token presented a second time means it was
   * copied: the whole family is revoked, so the thief's and the owner's newest tokens both die.
   * Except within the grace after its rotation: two tabs waking together, or a response lost on
   * the way, present the same token twice in a few seconds. That answer is a fresh sibling in the
   * same family rather than the successor itself, which exists only as a hash and cannot be
   * handed out again (README, Security).
   */
  async function rotate(refreshToken: string): Promise<IssuedSession> {
    const outcome = await db.transaction(async (tx) => {
      const found = await findTokenForUpdate(hashToken(refreshToken), tx, {
        graceSeconds: deps.reuseGraceSeconds,
        familyMaxDays: deps.familyMaxDays,
      });
      if (!found || found.familyRevokedAt) return { ok: false as const };
      if (found.familyTooOld) {
        await revokeFamily(found.familyId, 'max-age', tx);
        return { ok: false as const };
      }
      if (found.usedAt && !found.rotatedWithinGrace) {
        await revokeFamily(found.familyId, 'reuse', tx);
        return { ok: false as const, reused: { userId: found.user.id, familyId: found.familyId } };
      }
      if (found.user.disabled) {
        await revokeFamily(found.familyId, 'disabled', tx);
        return { ok: false as const };
      }
      if (found.expiresAt.getTime() <= Date.now()) return { ok: false as const };
      const next = await issueRefreshToken(found.familyId, tx);
      // A sibling leaves the first rotation's record (used_at, replaced_by) as it was.
      if (found.usedAt)
        logger.info(
          { userId: found.user.id, familyId: found.familyId },
          'refresh token presented again within the grace; sibling issued',
        );
      else await markTokenUsed(found.tokenId, next.id, tx);
      return { ok: true as const, user: toUser(found.user), token: next.token };
    });
    if (!outcome.ok) {
      if (outcome.reused) logger.warn(outcome.reused, 'refresh token presented twice; token family revoked');
      throw sessionExpired();
    }
    return { user: outcome.user, accessToken: accessTokens.sign(outcome.user), refreshToken: outcome.token };
  }

  /** Logout: revokes the family of the presented token, whatever state it is in. */
  async function end(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    await db.transaction(async (tx) => {
      const found = await findTokenForUpdate(hashToken(refreshToken), tx);
      if (found) await revokeFamily(found.familyId, 'logout', tx);
    });
  }

  const revokeAllFor = (userId: string, reason: string, tx: Tx = db) => revokeUserFamilies(userId, reason, tx);

  /**
   * Ends every session of the user: access tokens everywhere within a second, refresh families at
   * once. Logout everywhere, disabling and (later) a password change call it. Redis comes first: if
   * it cannot be written, nothing changed and the caller gets a 503 to retry.
   */
  async function revokeUserSessions(userId: string, reason: string): Promise<void> {
    await expireAccessTokens(userId);
    await revokeAllFor(userId, reason);
  }

  /** Only the access tokens: a role change keeps the sessions, whose next refresh carries the new role. */
  async function expireAccessTokens(userId: string): Promise<void> {
    try {
      await deps.revocations.revokeAccessTokens(userId);
    } catch (err) {
      logger.error({ err, userId }, 'could not record the revocation in redis');
      throw new AppError('SERVICE_UNAVAILABLE', 'sessions cannot be ended right now; try again in a moment');
    }
  }

  return { start, rotate, end, revokeAllFor, revokeUserSessions, expireAccessTokens };
}

export type Sessions = ReturnType<typeof createSessions>;
