import type { Logger } from '@market/kit';
import type { Db } from '../data/db';
import { resealSecret, secretsToReseal } from '../data/two-factor-repository';
import type { SecretBox } from './secret-box';

const BATCH = 500;

/**
 * Seals every TOTP secret with the current key: secrets stored before encryption, and those sealed
 * with a key that is no longer first in TOTP_ENCRYPTION_KEYS. Runs at start; safe to run in several
 * replicas at once (a row changed meanwhile is left to the one that changed it). Returns the count.
 */
export async function resealSecrets(db: Db, box: SecretBox, logger: Logger): Promise<number> {
  let resealed = 0;
  let after: string | null = null;
  for (;;) {
    const rows = await secretsToReseal(after, BATCH, db);
    for (const row of rows) {
      if (box.isCurrent(row.secret)) continue;
      await resealSecret(row.userId, row.secret, box.seal(box.open(row.secret, row.userId), row.userId), db);
      resealed += 1;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.userId;
  }
  if (resealed > 0) logger.info({ resealed }, 'TOTP secrets sealed with the current key');
  return resealed;
}
