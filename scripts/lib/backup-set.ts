// Backup sets as ansible/roles/backup/files/marketplace-backup.sh writes them: one custom-format
// pg_dump per database, <backup dir>/<service>-db/<database>-<UTC stamp>.dump, one stamp per run.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './errors.js';
import { run } from './proc.js';

/** The database containers a backup set holds (the backup role's backup_databases). */
export const BACKUP_DATABASES = ['auth-db', 'products-db', 'orders-db'] as const;
export type BackupDatabase = (typeof BACKUP_DATABASES)[number];

export interface BackupSet {
  stamp: string;
  dumps: Record<BackupDatabase, string>;
}

const DUMP = /^[a-z0-9_]+-(\d{8}T\d{6}Z)\.dump$/;

/** Every complete set in `dir` (all three dumps made by one run), newest first. */
function backupSets(dir: string): BackupSet[] {
  const byStamp = new Map<string, Partial<Record<BackupDatabase, string>>>();
  for (const db of BACKUP_DATABASES) {
    const folder = path.join(dir, db);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)) {
      const stamp = DUMP.exec(file)?.[1];
      if (!stamp) continue;
      byStamp.set(stamp, { ...byStamp.get(stamp), [db]: path.join(folder, file) });
    }
  }
  return [...byStamp.entries()]
    .filter((entry): entry is [string, Record<BackupDatabase, string>] =>
      BACKUP_DATABASES.every((db) => entry[1][db] !== undefined),
    )
    .map(([stamp, dumps]) => ({ stamp, dumps }))
    .sort((a, b) => b.stamp.localeCompare(a.stamp));
}

/** The newest complete set, or the one with `stamp`; a SetupError naming what is there otherwise. */
export function pickBackupSet(dir: string, stamp?: string): BackupSet {
  const sets = backupSets(dir);
  const chosen = stamp ? sets.find((set) => set.stamp === stamp) : sets[0];
  if (chosen) return chosen;
  const found = sets.map((set) => set.stamp).join(', ') || 'none';
  throw new SetupError(
    `no complete backup set${stamp ? ` ${stamp}` : ''} in ${dir} (each of ${BACKUP_DATABASES.join(', ')}/<db>-<stamp>.dump); sets found: ${found}`,
  );
}

/**
 * Restores one dump into an existing, empty database as the admin user. Owners and grants of the
 * source are left out: the stack gives every object to the database's own roles afterwards.
 */
export async function restoreDump(pgRestore: string, databaseUrl: string, dump: string): Promise<void> {
  const { code, stderr } = await run(
    pgRestore,
    ['--dbname', databaseUrl, '--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', dump],
    { capture: true },
  );
  if (code !== 0) throw new SetupError(`pg_restore of ${dump} failed: ${stderr.trim().slice(0, 1000)}`);
}
