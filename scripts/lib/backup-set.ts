// Backup sets as ansible/roles/backup/files/marketplace-backup.sh writes them, in either of its layouts:
// - encrypted: <backup dir>/marketplace-<UTC stamp>.tar.age, an age-encrypted tar holding
//   <service>-db.dump (custom-format pg_dump) for each database, product-images.tar, manifest, SHA256SUMS;
// - plain (earlier releases): <backup dir>/<service>-db/<database>-<UTC stamp>.dump, one stamp per run.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './errors.js';
import { run } from './proc.js';

/** The database containers a backup set holds (the backup role's backup_databases). */
export const BACKUP_DATABASES = ['auth-db', 'products-db', 'orders-db'] as const;
export type BackupDatabase = (typeof BACKUP_DATABASES)[number];

export type BackupSet =
  | { stamp: string; kind: 'plain'; dumps: Record<BackupDatabase, string> }
  | { stamp: string; kind: 'encrypted'; file: string };

const DUMP = /^[a-z0-9_]+-(\d{8}T\d{6}Z)\.dump$/;
const ENCRYPTED = /^marketplace-(\d{8}T\d{6}Z)\.tar\.age$/;

/** Every set in `dir`, newest first: each encrypted one, and each complete plain one (all three dumps of one run). */
function backupSets(dir: string): BackupSet[] {
  const encrypted: BackupSet[] = existsSync(dir)
    ? readdirSync(dir).flatMap((file) => {
        const stamp = ENCRYPTED.exec(file)?.[1];
        return stamp ? [{ stamp, kind: 'encrypted' as const, file: path.join(dir, file) }] : [];
      })
    : [];
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
  const plain = [...byStamp.entries()]
    .filter((entry): entry is [string, Record<BackupDatabase, string>] =>
      BACKUP_DATABASES.every((db) => entry[1][db] !== undefined),
    )
    .map(([stamp, dumps]): BackupSet => ({ stamp, kind: 'plain', dumps }));
  return [...encrypted, ...plain].sort((a, b) => b.stamp.localeCompare(a.stamp));
}

/** The newest complete set, or the one with `stamp`; a SetupError naming what is there otherwise. */
export function pickBackupSet(dir: string, stamp?: string): BackupSet {
  const sets = backupSets(dir);
  const chosen = stamp ? sets.find((set) => set.stamp === stamp) : sets[0];
  if (chosen) return chosen;
  const found = sets.map((set) => set.stamp).join(', ') || 'none';
  throw new SetupError(
    `no complete backup set${stamp ? ` ${stamp}` : ''} in ${dir} (marketplace-<stamp>.tar.age, or each of ${BACKUP_DATABASES.join(', ')}/<db>-<stamp>.dump); sets found: ${found}`,
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

/**
 * The three dumps of a set, as files: a plain set's own; an encrypted one decrypted with the age
 * `identity` (the private key, vault_backup_age_identity) and unpacked into `workDir`, its SHA256SUMS checked.
 */
export async function dumpsOf(
  set: BackupSet,
  { identity, workDir }: { identity?: string; workDir: string },
): Promise<Record<BackupDatabase, string>> {
  if (set.kind === 'plain') return set.dumps;
  if (!identity) throw new SetupError(`${set.file} is encrypted: give its age identity file with --identity`);
  const unpacked = await run(
    'bash',
    ['-c', 'set -o pipefail; age --decrypt --identity "$0" "$1" | tar -x -C "$2"', identity, set.file, workDir],
    { capture: true },
  );
  if (unpacked.code !== 0) throw new SetupError(`cannot decrypt ${set.file}: ${unpacked.stderr.trim().slice(0, 500)}`);
  const checked = await run('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: workDir, capture: true });
  if (checked.code !== 0) {
    throw new SetupError(
      `${set.file} fails its SHA256SUMS: ${`${checked.stdout}${checked.stderr}`.trim().slice(0, 500)}`,
    );
  }
  return Object.fromEntries(BACKUP_DATABASES.map((db) => [db, path.join(workDir, `${db}.dump`)])) as Record<
    BackupDatabase,
    string
  >;
}
